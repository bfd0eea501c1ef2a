using System.CommandLine;
using Pipeline.Cli.Benchmarking;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline generate &lt;kind&gt; &lt;dir&gt;</c>: writes one of the benchmark suite's seeded corpora.</summary>
internal static class GenerateCommand
{
    /// <summary>The seed of the corpora when <c>--seed</c> is not given.</summary>
    public const int DefaultSeed = 42;

    /// <summary>The largest <c>--scale</c>.</summary>
    private const double MaxScale = 100;

    public static readonly string[] Kinds = ["hash-small", "hash-large", "gzip-large-text", "gzip-one-large", "gzip-small", "csv", "many-small", "many-small-csv"];

    public static Command Create(CliConsole console)
    {
        var command = new Command("generate", "Write a seeded synthetic corpus of the benchmark suite (the same seed gives the same bytes)");
        var kind = new Argument<string>("kind")
        { Description = "hash-small (20,000 files of 1-8 KiB in 100 folders), hash-large (4 x 256 MiB random), gzip-large-text (2 x 256 MiB text), gzip-one-large (1 x 512 MiB text), gzip-small (20,000 small text files), csv (100 files x 20,000 rows), many-small (1,000,000 one-byte files in 2,000 folders), many-small-csv (1,000,000 tiny CSV files in 2,000 folders, one in four with a malformed row)",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
                if (OptionValues.Canonical(text, Kinds) is { } kind)
                {
                    return kind;
                }

                result.AddError($"<kind>: {OptionValues.Quote(text)} is not one of {string.Join(", ", Kinds)}");
                return text;
            },
        };
        kind.CompletionSources.Add(Kinds);
        kind.HelpName = "kind"; // not the list of kinds: it made the first column of `pipeline --help` 80 characters wide
        var directory = OptionValues.RequiredText("dir", "The folder to write (created if missing)");
        var scale = OptionValues.Number("--scale", "Multiply the corpus size (file count or file size) by this, more than 0 and at most 100 (default: 1)", 0, MaxScale);
        var seed = SeedOption("Random seed (default: 42)");
        command.Arguments.Add(kind);
        command.Arguments.Add(directory);
        command.Options.Add(scale);
        command.Options.Add(seed);
        command.SetAction((parse, cancellationToken) => CommandErrors.GuardAsync(console, parse, async () =>
        {
            var folder = Path.GetFullPath(parse.GetValue(directory)!);
            if (File.Exists(folder))
            {
                throw new CliUsageException($"<dir>: {OptionValues.Quote(parse.GetValue(directory)!)} is a file, not a folder");
            }

            var bytes = SyntheticCorpus.Write(ToKind(parse.GetValue(kind)!), folder, parse.ValueOr(scale, 1.0), parse.ValueOr(seed, DefaultSeed));
            await console.Out.WriteLineAsync($"wrote {Output.Units.Megabytes(bytes)} MB of {parse.GetValue(kind)} to {folder}");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>A <c>--seed</c> option: any whole number; the default is <see cref="DefaultSeed"/>.</summary>
    public static Option<int> SeedOption(string description) => OptionValues.WholeNumber("--seed", null, description, int.MinValue, int.MaxValue);

    public static CorpusKind ToKind(string name) => name switch
    {
        "hash-small" => CorpusKind.HashSmall,
        "hash-large" => CorpusKind.HashLarge,
        "gzip-large-text" => CorpusKind.GzipLargeText,
        "gzip-one-large" => CorpusKind.GzipOneLarge,
        "gzip-small" => CorpusKind.GzipSmall,
        "many-small" => CorpusKind.ManySmall,
        "many-small-csv" => CorpusKind.ManySmallCsv,
        _ => CorpusKind.Csv,
    };
}
