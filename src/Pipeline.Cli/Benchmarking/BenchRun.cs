using Pipeline.Comparing;
using Pipeline.Compression;
using Pipeline.Csv;
using Pipeline.Hashing;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Transforms;

namespace Pipeline.Cli.Benchmarking;

/// <summary>One bench: its corpora, generated on first use, and the measurements.</summary>
internal sealed class BenchRun(CliConsole console, string work, (double SmallFiles, double LargeFiles, double Csv) scale, int seed, int rounds, IReadOnlyList<int> levels, bool quiet)
{
    public async Task<(List<ComparisonResult> Rows, List<(string, IReadOnlyList<(int, ModeMeasurement)>)> Sweep)> ExecuteAsync(IReadOnlyList<string> transforms, CancellationToken cancellationToken)
    {
        var rows = new List<ComparisonResult>();
        var sweep = new List<(string, IReadOnlyList<(int, ModeMeasurement)>)>();
        foreach (var name in transforms)
        {
            var (input, transform) = await PrepareAsync(name, cancellationToken);
            var options = new PipelineOptions(new FileSelection(input), Path.Join(work, "unused-output"));
            await SayAsync($"comparing {name} on {input} ...");
            rows.Add(await ComparisonRunner.RunAsync(transform, options, rounds, cancellationToken));
            if (levels.Count > 0)
            {
                await SayAsync($"sweeping {name} over parallelism {string.Join(",", levels)} ...");
                sweep.Add((name, await ParallelismSweep.RunAsync(transform, options, levels, rounds, cancellationToken)));
            }
        }

        return (rows, sweep);
    }

    private async Task<(string Input, IFileTransform Transform)> PrepareAsync(string name, CancellationToken cancellationToken)
    {
        switch (name)
        {
            case "hash":
                await GenerateAsync("hash/small", CorpusKind.HashSmall, scale.SmallFiles);
                await GenerateAsync("hash/large", CorpusKind.HashLarge, scale.LargeFiles);
                return (Path.Join(work, "hash"), new HashTransform());
            case "gzip":
                await GenerateAsync("gzip/small", CorpusKind.GzipSmall, scale.SmallFiles);
                await GenerateAsync("gzip/large", CorpusKind.GzipLargeText, scale.LargeFiles);
                return (Path.Join(work, "gzip"), new GzipTransform());
            case "gunzip":
                await PrepareAsync("gzip", cancellationToken);
                var compressed = Path.Join(work, "gunzip");
                if (!Directory.Exists(compressed))
                {
                    await SayAsync("compressing the gzip corpus for gunzip ...");
                    await FilePipeline.RunAsync(new GzipTransform(), new PipelineOptions(new FileSelection(Path.Join(work, "gzip")), compressed) { Journal = false }, null, cancellationToken);
                }

                return (compressed, new GunzipTransform());
            default:
                await GenerateAsync("csv", CorpusKind.Csv, scale.Csv);
                return (Path.Join(work, "csv"), new CsvTransform(new CsvTransformOptions { Select = ["id", "city", "amount"], Where = ["amount>500"] }));
        }
    }

    private async Task GenerateAsync(string relative, CorpusKind kind, double factor)
    {
        var folder = Path.Join(work, relative);
        if (Directory.Exists(folder))
        {
            return;
        }

        await SayAsync($"generating {relative} ...");
        SyntheticCorpus.Write(kind, folder, factor, seed);
    }

    private async Task SayAsync(string message)
    {
        if (!quiet && console.ErrorIsTerminal)
        {
            await console.Error.WriteLineAsync(message);
        }
    }
}
