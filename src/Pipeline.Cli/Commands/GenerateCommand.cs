using System.CommandLine;
using Pipeline.Benchmarking;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline generate &lt;kind&gt; &lt;dir&gt;</c>: writes one of the benchmark suite's seeded corpora.</summary>
internal static class GenerateCommand
{
    public static readonly string[] Kinds = ["hash-small", "hash-large", "gzip-large-text", "gzip-small", "csv"];

    public static Command Create(CliConsole console)
    {
        var command = new Command("generate", "Write a seeded synthetic corpus of the benchmark suite (the same seed gives the same bytes)");
        var kind = new Argument<string>("kind") { Description = "hash-small (20,000 files of 1-8 KiB in 100 folders), hash-large (4 x 256 MiB random), gzip-large-text (2 x 256 MiB text), gzip-small (20,000 small text files), csv (100 files x 20,000 rows)" };
        kind.AcceptOnlyFromAmong(Kinds);
        var directory = new Argument<string>("dir") { Description = "The folder to write (created if missing)" };
        var scale = new Option<double>("--scale") { Description = "Multiply the corpus size (file count or file size) by this (default: 1)", DefaultValueFactory = _ => 1.0 };
        var seed = new Option<int>("--seed") { Description = "Random seed (default: 42)", DefaultValueFactory = _ => 42 };
        command.Arguments.Add(kind);
        command.Arguments.Add(directory);
        command.Options.Add(scale);
        command.Options.Add(seed);
        command.SetAction((parse, cancellationToken) => CommandErrors.GuardAsync(console, parse, async () =>
        {
            if (parse.GetValue(scale) is <= 0 or > 100)
            {
                throw new Running.PipelineOptionsException("--scale must be more than 0 and at most 100");
            }

            var bytes = SyntheticCorpus.Write(ToKind(parse.GetValue(kind)!), Path.GetFullPath(parse.GetValue(directory)!), parse.GetValue(scale), parse.GetValue(seed));
            await console.Out.WriteLineAsync($"wrote {Output.Units.Megabytes(bytes)} MB of {parse.GetValue(kind)} to {Path.GetFullPath(parse.GetValue(directory)!)}");
            return ExitCodes.Success;
        }));
        return command;
    }

    public static CorpusKind ToKind(string name) => name switch
    {
        "hash-small" => CorpusKind.HashSmall,
        "hash-large" => CorpusKind.HashLarge,
        "gzip-large-text" => CorpusKind.GzipLargeText,
        "gzip-small" => CorpusKind.GzipSmall,
        _ => CorpusKind.Csv,
    };
}
