using System.CommandLine;
using Pipeline.Cli.Commands;
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
        var select = OptionValues.Text("--select", "-s", "Output columns in this order, comma-separated, e.g. id,city,amount (default: all)", "cols", SelectProblem);
        var where = OptionValues.Texts(
            "--where",
            "-w",
            "Keep rows where 'column OP value' holds, OP one of = != > >= < <= ~ (regex); numbers compare as numbers (repeatable: all must hold)",
            "expr",
            WhereProblem);
        var to = OptionValues.Choice("--to", null, "Output format: csv (same relative path) or jsonl (.jsonl, one object per row) (default: csv)", "format", "csv", "jsonl");
        var delimiter = OptionValues.Text("--delimiter", "-d", "Input field delimiter, one character or 'tab' (default: ,)", "c", DelimiterProblem);
        var outputDelimiter = OptionValues.Text("--output-delimiter", null, "CSV output field delimiter, one character or 'tab' (default: the input's)", "c", DelimiterProblem);
        var noHeader = new Option<bool>("--no-header") { Description = "The first row is data; columns are named 1, 2, 3, ..." };
        var badRows = OptionValues.Choice("--bad-rows", null, "Malformed rows: skip (leave out, list in bad-rows.csv) or fail (fail the file at the first one) (default: skip)", "policy", "skip", "fail");
        var inferTypes = new Option<bool>("--infer-types") { Description = "JSON Lines: write numbers, true/false and empty fields (null) as JSON types, not strings" };
        var allowRagged = new Option<bool>("--allow-ragged") { Description = "Pad rows with fewer fields than the header with empty fields instead of calling them malformed (rows with more stay malformed)" };
        foreach (var option in (Option[])[select, where, to, delimiter, outputDelimiter, noHeader, badRows, inferTypes, allowRagged])
        {
            command.Options.Add(option);
        }

        // The rules that tie two flags together (CsvTransformOptions.Validate has them in the library's terms), checked
        // while parsing so the line names the flags the user typed.
        command.Validators.Add(result =>
        {
            var format = result.GetResult(to) is { Tokens.Count: > 0 } given ? given.Tokens[^1].Value.ToLowerInvariant() : "csv";
            var infer = result.GetResult(inferTypes) is { Implicit: false } flag && (flag.Tokens.Count == 0 || string.Equals(flag.Tokens[^1].Value, "true", StringComparison.OrdinalIgnoreCase));
            if (infer && format != "jsonl")
            {
                result.AddError("--infer-types applies only to --to jsonl");
            }

            if (result.GetResult(outputDelimiter) is { Implicit: false } && format == "jsonl")
            {
                result.AddError("--output-delimiter applies only to --to csv");
            }
        });

        return parse => new CsvTransform(new CsvTransformOptions
        {
            Select = parse.GetValue(select) is { } columns ? Columns(columns) : [],
            Where = parse.GetValue(where) ?? [],
            To = parse.GetValue(to) == "jsonl" ? CsvOutputFormat.Jsonl : CsvOutputFormat.Csv,
            Delimiter = parse.GetValue(delimiter) is { } d ? Delimiter(d) : ',',
            OutputDelimiter = parse.GetValue(outputDelimiter) is { } od ? Delimiter(od) : null,
            HasHeader = !parse.GetValue(noHeader),
            BadRows = parse.GetValue(badRows) == "fail" ? BadRowPolicy.Fail : BadRowPolicy.Skip,
            InferTypes = parse.GetValue(inferTypes),
            PadShortRows = parse.GetValue(allowRagged),
        });
    }

    public override RunObserver CreateObserver() => new CsvObserver();

    private static string[] Columns(string list) => list.Split(',', StringSplitOptions.TrimEntries);

    private static string? SelectProblem(string list)
    {
        var columns = Columns(list);
        return columns.Any(c => c.Length == 0) ? "has an empty column name"
            : columns.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice ? $"names column '{twice.Key}' twice"
            : null;
    }

    private static string? WhereProblem(string expression)
    {
        try
        {
            CsvCondition.Parse(expression);
            return null;
        }
        catch (FormatException ex)
        {
            // The parser's message starts with the expression, which the error line already shows.
            var prefix = $"'{expression}' ";
            return ex.Message.StartsWith(prefix, StringComparison.Ordinal) ? ex.Message[prefix.Length..] : "is not a condition: " + ex.Message;
        }
    }

    /// <summary>Why a delimiter is refused (the rules of <see cref="CsvTransformOptions.Validate"/>), or <see langword="null"/>.</summary>
    private static string? DelimiterProblem(string text) => text switch
    {
        _ when IsTab(text) => null,
        { Length: 1 } when text[0] is '"' or '\r' or '\n' || !char.IsAscii(text[0]) => "cannot be a delimiter: use one ASCII character other than a quote or a line break, or 'tab'",
        { Length: 1 } => null,
        _ => "is not one character or 'tab'",
    };

    private static char Delimiter(string text) => IsTab(text) ? '\t' : text[0];

    /// <summary>Whether a delimiter names the tab: 'tab' in any case, a backslash and t, or the character itself.</summary>
    private static bool IsTab(string text) => text is "\\t" or "\t" || string.Equals(text, "tab", StringComparison.OrdinalIgnoreCase);

    /// <summary>Rows read, written and bad, summed over the files as they come; a warning per file with bad rows.</summary>
    private sealed class CsvObserver : RunObserver
    {
        private readonly List<string> _runWarnings = [];
        private readonly HashSet<string> _warnedConditions = new(StringComparer.Ordinal);
        private long _read;
        private long _written;
        private long _bad;
        private long _filesWithBadRows;
        private string? _badRowsFile;

        public override IReadOnlyList<(string Name, long Value)> Counts => [("rows_read", _read), ("rows_written", _written), ("bad_rows", _bad)];

        public override IReadOnlyList<string> RunWarnings => _runWarnings;

        public override IReadOnlyList<string> TotalWarnings => _bad == 0 ? []
            : [$"warning: {Output.Units.Count(_bad)} malformed row(s) in {Output.Units.Count(_filesWithBadRows)} file(s) left out of the output, listed in {_badRowsFile}"];

        public override void Add(FileResult result, string outputRoot)
        {
            if (result.Artifact is not CsvFileOutcome outcome)
            {
                return;
            }

            _read += outcome.RowsRead;
            _written += outcome.RowsWritten;
            _bad += outcome.BadRows.Count;
            foreach (var condition in outcome.NumbersComparedAsText)
            {
                // Once a run: the column is the same in every file that has it.
                if (_warnedConditions.Add(condition.ToString()))
                {
                    _runWarnings.Add($"warning: --where {OptionValues.Quote(condition.ToString())}: column {OptionValues.Quote(condition.Column)} holds numbers but {OptionValues.Quote(condition.Value)} is not a number, so they were compared as text");
                }
            }

            if (outcome.BadRows.Count > 0)
            {
                _filesWithBadRows++;
                _badRowsFile = Path.Join(outputRoot, CsvTransform.BadRowsFileName);
                Warn($"warning: {result.RelativePath}: {outcome.BadRows.Count} malformed row(s) left out, listed in {Path.Join(outputRoot, CsvTransform.BadRowsFileName)}");
            }
        }
    }
}
