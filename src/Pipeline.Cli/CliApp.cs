using System.CommandLine;
using System.CommandLine.Parsing;
using Pipeline.Cli.Commands;
using Pipeline.Cli.Transforms;

namespace Pipeline.Cli;

/// <summary>The <c>pipeline</c> command: builds the command tree and runs it against an injected console.</summary>
internal sealed class CliApp(CliConsole console)
{
    /// <summary>The built-in transforms, in the order <c>pipeline transforms</c> lists them.</summary>
    public static IReadOnlyList<TransformSpec> BuiltInTransforms { get; } = [new HashSpec(), new CsvSpec(), new GzipSpec(), new GunzipSpec(), new ZstdSpec(), new UnzstdSpec(), new ExecSpec(), new VerifySpec()];

    public RootCommand CreateRootCommand()
    {
        var root = new RootCommand("Batch-process a folder tree through an asynchronous Dataflow pipeline, and show how much faster it is than doing it sequentially.");
        root.Options.Add(CommandErrors.Verbose);
        root.Subcommands.Add(RunCommand.Create(console, BuiltInTransforms));
        root.Subcommands.Add(CompareCommand.Create(console, BuiltInTransforms));
        root.Subcommands.Add(VerifyCommand.Create(console));
        root.Subcommands.Add(MergeCommand.Create(console));
        root.Subcommands.Add(ListCommand.Create(console));
        root.Subcommands.Add(TransformsCommand.Create(console, BuiltInTransforms));
        root.Subcommands.Add(BenchCommand.Create(console));
        root.Subcommands.Add(GenerateCommand.Create(console));
        VersionWithEngines.ReplaceOn(root, console);
        if (console.Width is not null || console.OutIsTerminal)
        {
            // Help wraps its descriptions to the terminal (or the width a test sets); into a file or a pipe, one line each.
            foreach (var help in root.Options.OfType<System.CommandLine.Help.HelpOption>())
            {
                if (help.Action is System.CommandLine.Help.HelpAction action)
                {
                    action.MaxWidth = console.OutWidth;
                }
            }
        }

        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code.</summary>
    public async Task<int> InvokeAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var root = CreateRootCommand();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && !args.Any(a => a is "-h" or "--help" or "-?"))
        {
            // System.CommandLine would exit 1 here; a scheduler must be able to tell "bad arguments" (2) from "some files failed" (1).
            if (CommandSuggestions.For(parse, BuiltInTransforms) is { } unknown)
            {
                console.WriteError(unknown);
                return ExitCodes.BadArguments;
            }

            // One line per problem: a bad option value is one line naming the option and the value (OptionValues),
            // and the parser's own messages (an unknown option, a missing value) are folded onto one line each.
            var names = new List<string>();
            for (var result = parse.CommandResult; result.Parent is CommandResult parent; result = parent)
            {
                names.Insert(0, result.Command.Name);
            }

            var command = string.Join(' ', ["pipeline", .. names]);
            var messages = parse.Errors.Select(e => OneLine(e.Message)).Distinct(StringComparer.Ordinal).ToList();
            if (parse.UnmatchedTokens.Count > 0)
            {
                // The parser reports each stray token on its own; one line lists them all.
                messages.RemoveAll(m => m.StartsWith("Unrecognized command or argument", StringComparison.Ordinal));
                messages.Insert(0, "unrecognized argument(s): " + string.Join(' ', parse.UnmatchedTokens.Select(OptionValues.Quote)));
            }

            foreach (var message in messages)
            {
                console.WriteError(message.StartsWith('-') || message.StartsWith('<') ? message : $"{message} (see '{command} --help')");
            }

            return ExitCodes.BadArguments;
        }

        var configuration = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        return await parse.InvokeAsync(configuration, cancellationToken);
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
