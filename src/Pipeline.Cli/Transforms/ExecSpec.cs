using System.CommandLine;
using System.Globalization;
using Pipeline.Cli.Commands;
using Pipeline.Exec;
using Pipeline.Running;
using Pipeline.Transforms;

namespace Pipeline.Cli.Transforms;

/// <summary>The <c>exec</c> transform on the command line: <c>pipeline run exec &lt;input-dir&gt; -o &lt;out&gt; [options] -- command [args...]</c>.</summary>
internal sealed class ExecSpec : TransformSpec
{
    public override string Name => "exec";

    public override string Description => "Run a command per file: content on stdin, stdout to <output>/<relative path> (or {} / {out} paths)";

    public override Func<ParseResult, IFileTransform> AddOptions(Command command)
    {
        var arguments = new Argument<string[]>("command")
        {
            Description = "The command and its arguments, after --; placeholders {} {.} {/} {//} {/.} {#} {rel} {out}",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var shell = OptionValues.Text("--shell", null, "One command line run with /bin/sh -c, each placeholder's value quoted (instead of a command after --)", "line", Blank);
        var outputName = OptionValues.Text("--output-name", null, "The output's path: {rel}, {rel.} (no extension), {/}, {/.} (default: {rel})", "template", Blank);
        var noOutput = new Option<bool>("--no-output") { Description = "Run the command for its effect or exit code only: no output file" };
        var okCodes = OptionValues.Text("--ok-exit-codes", null, "Exit codes that count as success, e.g. 0,1 for grep (default: 0)", "codes", OkCodesProblem);
        var concat = OptionValues.Text("--concat", null, "Join every file's stdout into this one output, in path order (its parts kept under .pipeline/concat for --resume)", "name", ConcatProblem);
        var tag = new Option<bool>("--tag") { Description = "With --concat: start each line with the file's relative path and a tab" };
        var timeout = OptionValues.Number("--timeout", "Seconds a command may run before it and its children are killed and its file fails (default: none)", 0, 86_400);
        command.Arguments.Add(arguments);
        command.Options.Add(shell);
        command.Options.Add(outputName);
        command.Options.Add(noOutput);
        command.Options.Add(okCodes);
        command.Options.Add(timeout);
        command.Options.Add(concat);
        command.Options.Add(tag);
        return parse =>
        {
            var line = parse.GetValue(shell);
            var argv = parse.GetValue(arguments) ?? [];
            if (line is not null && argv.Length > 0)
            {
                throw new CliUsageException("give the command either after -- or as --shell '<line>', not both");
            }

            if (argv.Length > 0)
            {
                // Only what follows -- is the command: before it, the command's own options would be read as this tool's
                // (grep -i, sort -p) and an unknown option of this tool would be taken for the command.
                var tokens = parse.Tokens;
                var dash = tokens.Select((t, i) => (t, i)).FirstOrDefault(x => x.t.Type == System.CommandLine.Parsing.TokenType.DoubleDash);
                if (dash.t is null)
                {
                    throw new CliUsageException($"put the command after --, as in: pipeline run exec <input-dir> -o <output-dir> -- {string.Join(' ', argv)} (without --, the command's options are read as pipeline's)");
                }

                var before = argv.Length - (tokens.Count - dash.i - 1);
                if (before > 0)
                {
                    throw new CliUsageException($"unrecognized argument(s) before --: {string.Join(' ', argv.Take(before))}");
                }
            }

            if (argv.Length > 0 && argv[0].Length == 0)
            {
                throw new CliUsageException("<command>: '' is empty");
            }

            if (line is null && argv.Length == 0)
            {
                throw new CliUsageException("no command given: put it after --, e.g. pipeline run exec in -o out -- tr a-z A-Z");
            }

            if (parse.GetValue(outputName) is { } name && name.Split('/')[0] == ".pipeline")
            {
                throw new CliUsageException($"the output name '{name}' is not a path inside the output folder: .pipeline is the tool's own");
            }

            var joined = parse.GetValue(concat);
            if (joined is not null && (parse.GetValue(outputName) is not null || parse.GetValue(noOutput)))
            {
                throw new CliUsageException("--concat joins the commands' standard output into one file: it goes with neither --output-name nor --no-output");
            }

            if (joined is null && parse.GetValue(tag))
            {
                throw new CliUsageException("--tag marks the lines of --concat's output: give --concat NAME too");
            }

            _concat = joined is null ? null : (joined, parse.GetValue(tag));
            ExecTransform transform;
            try
            {
                transform = new ExecTransform(new ExecOptions
                {
                    Command = line is null ? argv : [line],
                    Shell = line is not null,
                    OutputName = joined is not null ? ConcatObserver.PartName : parse.GetValue(outputName) ?? "{rel}",
                    NoOutput = parse.GetValue(noOutput),
                    OkExitCodes = parse.GetValue(okCodes) is { } codes ? ParseCodes(codes) : [0],
                    Timeout = parse.GetResult(timeout) is null ? null : TimeSpan.FromSeconds(parse.GetValue(timeout)),
                });
                transform.Resolve();
            }
            catch (PipelineOptionsException ex)
            {
                throw new CliUsageException(string.Join("; ", ex.Problems.Select(p => p.Reason)));
            }
            catch (FileNotFoundException ex)
            {
                throw new CliUsageException(ex.Message);
            }

            return transform;
        };
    }

    /// <summary>The joined output's name and whether lines are tagged, once a command line asked for <c>--concat</c>.</summary>
    private (string Name, bool Tag)? _concat;

    public override string? ShardProblem => _concat is null ? null
        : "--concat joins every file's output into one file, which the shards of one output folder cannot share: run the shards without --concat";

    public override RunObserver CreateObserver() => _concat is { } concat ? new ConcatObserver(concat.Name, concat.Tag) : new RunObserver();

    private static string? ConcatProblem(string text) =>
        string.IsNullOrWhiteSpace(text) ? "is blank"
        : Path.IsPathRooted(text) || text.Split('/').Any(p => p is ".." or "." or "") || text.StartsWith(".pipeline", StringComparison.Ordinal) ? "is not a path inside the output folder (e.g. all.txt or logs/all.txt)"
        : null;

    private static string? Blank(string text) => string.IsNullOrWhiteSpace(text) ? "is blank" : null;

    private static string? OkCodesProblem(string text) =>
        text.Split(',').All(c => int.TryParse(c.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 255)
            ? null
            : "is not a list of exit codes from 0 to 255 (e.g. 0,1)";

    private static int[] ParseCodes(string text) =>
        [.. text.Split(',').Select(c => int.Parse(c.Trim(), NumberStyles.None, CultureInfo.InvariantCulture))];
}
