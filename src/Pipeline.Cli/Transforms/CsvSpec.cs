using System.CommandLine;
using Pipeline.Csv;
using Pipeline.Running;
using Pipeline.Transforms;

namespace Pipeline.Cli.Transforms;

/// <summary>The <c>csv</c> transform on the command line.</summary>
internal sealed class CsvSpec : TransformSpec
{
    public override string Name => "csv";

    public override string Description => "Select columns and filter rows of CSV files with CsvHelper, to CSV or JSON Lines; malformed rows go to bad-rows.csv";

    public override Func<ParseResult, IFileTransform> AddOptions(Command command)
    {
        var select = new Option<string?>("--select", "-s") { Description = "Output columns in this order, comma-separated, e.g. id,city,amount (default: all)", HelpName = "cols" };
        var where = new Option<string[]>("--where", "-w")
        {
            Description = "Keep rows where 'column OP value' holds, OP one of = != > >= < <= ~ (regex); numbers compare as numbers (repeatable: all must hold)",
            HelpName = "expr",
            Arity = ArgumentArity.OneOrMore,
        };
        var to = new Option<string>("--to") { Description = "Output format: csv (same relative path) or jsonl (.jsonl, one object per row) (default: csv)", HelpName = "format", DefaultValueFactory = _ => "csv" };
        to.AcceptOnlyFromAmong("csv", "jsonl");
        var delimiter = new Option<string>("--delimiter", "-d") { Description = "Input field delimiter, one character or 'tab' (default: ,)", HelpName = "c", DefaultValueFactory = _ => "," };
        var outputDelimiter = new Option<string?>("--output-delimiter") { Description = "CSV output field delimiter (default: the input's)", HelpName = "c" };
        var noHeader = new Option<bool>("--no-header") { Description = "The first row is data; columns are named 1, 2, 3, ..." };
        var badRows = new Option<string>("--bad-rows") { Description = "Malformed rows: skip (leave out, list in bad-rows.csv) or fail (fail the file at the first one) (default: skip)", HelpName = "policy", DefaultValueFactory = _ => "skip" };
        badRows.AcceptOnlyFromAmong("skip", "fail");
        var inferTypes = new Option<bool>("--infer-types") { Description = "JSON Lines: write numbers, true/false and empty fields (null) as JSON types, not strings" };
        foreach (var option in (Option[])[select, where, to, delimiter, outputDelimiter, noHeader, badRows, inferTypes])
        {
            command.Options.Add(option);
        }

        return parse => new CsvTransform(new CsvTransformOptions
        {
            Select = parse.GetValue(select) is { Length: > 0 } columns ? columns.Split(',', StringSplitOptions.TrimEntries) : [],
            Where = parse.GetValue(where) ?? [],
            To = parse.GetValue(to) == "jsonl" ? CsvOutputFormat.Jsonl : CsvOutputFormat.Csv,
            Delimiter = Delimiter("--delimiter", parse.GetValue(delimiter)!),
            OutputDelimiter = parse.GetValue(outputDelimiter) is { } od ? Delimiter("--output-delimiter", od) : null,
            HasHeader = !parse.GetValue(noHeader),
            BadRows = parse.GetValue(badRows) == "fail" ? BadRowPolicy.Fail : BadRowPolicy.Skip,
            InferTypes = parse.GetValue(inferTypes),
        });
    }

    public override IReadOnlyList<(string Name, long Value)> Counts(RunSummary summary)
    {
        var outcomes = Outcomes(summary).ToList();
        return [("rows_read", outcomes.Sum(o => o.RowsRead)), ("rows_written", outcomes.Sum(o => o.RowsWritten)), ("bad_rows", outcomes.Sum(o => o.BadRows.Count))];
    }

    public override IEnumerable<string> Warnings(RunSummary summary, string outputRoot) =>
        summary.Results
            .Where(r => r.Artifact is CsvFileOutcome { BadRows.Count: > 0 })
            .Select(r => $"warning: {r.RelativePath}: {((CsvFileOutcome)r.Artifact!).BadRows.Count} malformed row(s) left out, listed in {Path.Join(outputRoot, CsvTransform.BadRowsFileName)}");

    private static IEnumerable<CsvFileOutcome> Outcomes(RunSummary summary) =>
        summary.Results.Select(r => r.Artifact).OfType<CsvFileOutcome>();

    private static char Delimiter(string option, string text) => text switch
    {
        "tab" or "\\t" or "\t" => '\t',
        { Length: 1 } => text[0],
        _ => throw new PipelineOptionsException($"{option} must be one character or 'tab', not '{text}'"),
    };
}
