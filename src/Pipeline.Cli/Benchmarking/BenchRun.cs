using Pipeline.Cli.Comparing;
using Pipeline.Compression;
using Pipeline.Csv;
using Pipeline.Hashing;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Transforms;

namespace Pipeline.Cli.Benchmarking;

/// <summary>
/// One bench: its corpora, generated on first use and laid out as the throughput suite's (<c>hash-small/</c>,
/// <c>gzip-large-text/</c>, ...: a bench at <c>--size large</c> with <c>--work-dir</c> on the suite's corpus folder
/// measures the very files the suite times), and the measurements. Every timed run writes under
/// <paramref name="scratch"/>, which the caller removes once, after the last timed run.
/// </summary>
internal sealed class BenchRun(CliConsole console, string work, string scratch, (double SmallFiles, double LargeFiles, double Csv) scale, int seed, int rounds, IReadOnlyList<int> levels, bool quiet)
{
    /// <summary>Every workload, named as the suite's, in the order a bench runs them.</summary>
    public static readonly IReadOnlyList<string> AllWorkloads = ["hash-small", "hash-large", "gzip-small", "gzip-large-text", "gunzip", "csv", "zstd-small", "zstd-large-text", "unzstd", "exec-small"];

    /// <summary>The workloads a name in <c>--transforms</c> stands for: a transform's (<c>hash</c>: both hash workloads), or one workload by its name.</summary>
    public static IReadOnlyList<string> Workloads(string name) => name switch
    {
        "hash" => ["hash-small", "hash-large"],
        "gzip" => ["gzip-small", "gzip-large-text"],
        "zstd" => ["zstd-small", "zstd-large-text"],
        "exec" => ["exec-small"],
        _ => [name],
    };

    public async Task<List<BenchRow>> ExecuteAsync(IReadOnlyList<string> transforms, CancellationToken cancellationToken)
    {
        var rows = new List<BenchRow>();
        foreach (var workload in transforms.SelectMany(Workloads).Distinct(StringComparer.Ordinal))
        {
            var (input, transform) = await PrepareAsync(workload, cancellationToken);
            var options = new PipelineOptions(new FileSelection(input), Path.Join(scratch, "unused-output"))
            {
                // The chunk `pipeline run` reads with for this transform, so bench measures what a run does.
                ChunkSize = CliApp.BuiltInTransforms.Single(spec => spec.Name == transform.Name).DefaultChunkSize,
            };
            await SayAsync($"comparing {workload} on {input} ...");
            var comparison = await ComparisonRunner.RunAsync(transform, options, new ComparisonOptions { Rounds = rounds, ScratchFolder = Path.Join(scratch, workload) }, cancellationToken);
            IReadOnlyList<SweepPoint> sweep = [];
            if (levels.Count > 0)
            {
                await SayAsync($"sweeping {workload} over parallelism {string.Join(",", levels)} ...");
                sweep = await ParallelismSweep.RunAsync(transform, options, levels, rounds, Path.Join(scratch, workload, "sweep"), cancellationToken);
            }

            rows.Add(new BenchRow(workload, comparison, sweep));
        }

        return rows;
    }

    private async Task<(string Input, IFileTransform Transform)> PrepareAsync(string workload, CancellationToken cancellationToken)
    {
        switch (workload)
        {
            case "hash-small" or "hash-large":
                return (await GenerateAsync(workload), new HashTransform());
            case "gzip-small" or "gzip-large-text":
                return (await GenerateAsync(workload), new GzipTransform());
            case "zstd-small":
                return (await GenerateAsync("gzip-small"), new ZstdTransform());
            case "zstd-large-text":
                return (await GenerateAsync("gzip-large-text"), new ZstdTransform());
            case "gunzip":
                return (await CompressedAsync(workload, new GzipTransform(), cancellationToken), new GunzipTransform());
            case "unzstd":
                return (await CompressedAsync(workload, new ZstdTransform(), cancellationToken), new UnzstdTransform());
            case "exec-small":
                // A process per file: gzip-small's text files through tr, the start-up of a command being the cost.
                return (await GenerateAsync("gzip-small"), new Exec.ExecTransform(new Exec.ExecOptions { Command = ["tr", "a-z", "A-Z"] }));
            default:
                return (await GenerateAsync("csv"), new CsvTransform(new CsvTransformOptions { Select = ["id", "city", "amount"], Where = ["amount>500"] }));
        }
    }

    /// <summary>The two gzip corpora compressed by <paramref name="compressor"/> into <c>&lt;workload&gt;/</c>, once: what a decompressing workload reads.</summary>
    private async Task<string> CompressedAsync(string workload, IFileTransform compressor, CancellationToken cancellationToken)
    {
        var compressed = Path.Join(work, workload);
        if (!Directory.Exists(compressed))
        {
            foreach (var source in (string[])["gzip-small", "gzip-large-text"])
            {
                var text = await GenerateAsync(source);
                await SayAsync($"compressing {source} for {workload} ...");
                await DataflowRunner.RunAsync(compressor, new PipelineOptions(new FileSelection(text), Path.Join(compressed, source)) { Journal = false }, null, cancellationToken);
            }

            ProcessResources.Flush();
        }

        return compressed;
    }

    private async Task<string> GenerateAsync(string workload)
    {
        var folder = Path.Join(work, workload);
        if (!Directory.Exists(folder))
        {
            await SayAsync($"generating {workload} ...");
            var kind = Commands.GenerateCommand.ToKind(workload);
            SyntheticCorpus.Write(kind, folder, kind switch
            {
                CorpusKind.HashSmall or CorpusKind.GzipSmall => scale.SmallFiles,
                CorpusKind.HashLarge or CorpusKind.GzipLargeText => scale.LargeFiles,
                _ => scale.Csv,
            }, seed);
        }

        return folder;
    }

    private async Task SayAsync(string message)
    {
        if (!quiet && console.ErrorIsTerminal)
        {
            await console.Error.WriteLineAsync(message);
        }
    }
}
