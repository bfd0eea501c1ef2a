using BenchmarkDotNet.Attributes;
using Pipeline.Hashing;
using Pipeline.Running;
using Pipeline.Sources;

namespace Pipeline.Benchmarks;

/// <summary>
/// Per-file overhead of the three stages: hashing a tree of small files, sequential (the baseline) against
/// the pipeline. The ratio column is the speedup measured within one run.
/// </summary>
[MemoryDiagnoser]
public class SmallFilesBenchmark
{
    private string _root = string.Empty;
    private PipelineOptions _options = null!;
    private readonly HashTransform _transform = new();

    [Params(2000)]
    public int Files { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Join(Path.GetTempPath(), "pipeline-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var random = new Random(1);
        for (var i = 0; i < Files; i++)
        {
            var path = Path.Join(_root, "in", $"d{i % 50}", $"f{i}.bin");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var bytes = new byte[random.Next(1024, 8 * 1024)];
            random.NextBytes(bytes);
            File.WriteAllBytes(path, bytes);
        }

        _options = new PipelineOptions(new FileSelection(Path.Join(_root, "in")), Path.Join(_root, "out"));
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    [Benchmark(Baseline = true)]
    public Task<RunSummary> Sequential() => SequentialRunner.RunAsync(_transform, _options);

    [Benchmark]
    public Task<RunSummary> Pipeline() => DataflowRunner.RunAsync(_transform, _options);
}
