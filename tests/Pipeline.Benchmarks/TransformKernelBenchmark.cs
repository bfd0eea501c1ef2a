using System.Buffers;
using BenchmarkDotNet.Attributes;
using Pipeline.Cli.Benchmarking;
using Pipeline.Compression;
using Pipeline.Csv;
using Pipeline.Hashing;
using Pipeline.Sources;
using Pipeline.Transforms;

namespace Pipeline.Benchmarks;

/// <summary>Each transform's CPU kernel on 8 MiB in memory, fed in 1 MiB chunks as the pipeline feeds it: the ceiling per core.</summary>
[MemoryDiagnoser]
public class TransformKernelBenchmark
{
    private const int Chunk = 1024 * 1024;
    private readonly ArrayBufferWriter<byte> _output = new(16 * Chunk);
    private readonly SourceFile _file = new("bench.dat", "bench.dat", 8 * Chunk, DateTime.UnixEpoch);
    private byte[] _text = [];
    private byte[] _gzip = [];
    private byte[] _csv = [];

    [GlobalSetup]
    public void Setup()
    {
        var folder = Path.Join(Path.GetTempPath(), "pipeline-kernel-bench");
        SyntheticCorpus.WriteLargeFiles(folder, 1, 8 * Chunk, 7, text: true);
        _text = File.ReadAllBytes(Path.Join(folder, "large00.txt"));
        SyntheticCorpus.WriteCsvFiles(folder, 1, 130_000, 7);
        _csv = File.ReadAllBytes(Path.Join(folder, "data000.csv"));
        Directory.Delete(folder, recursive: true);
        _gzip = Run(new GzipTransform(), _text).ToArray();
    }

    [Benchmark(Baseline = true)]
    public int Sha256() => Run(new HashTransform(), _text).Length;

    [Benchmark]
    public int GzipLevel1() => Run(new GzipTransform(1), _text).Length;

    [Benchmark]
    public int GzipLevel6() => Run(new GzipTransform(6), _text).Length;

    [Benchmark]
    public int Gunzip() => Run(new GunzipTransform(), _gzip).Length;

    [Benchmark]
    public int CsvSelectWhere() => Run(new CsvTransform(new CsvTransformOptions { Select = ["id", "city", "amount"], Where = ["amount>500"] }), _csv).Length;

    private ReadOnlySpan<byte> Run(IFileTransform transform, byte[] input)
    {
        _output.ResetWrittenCount();
        using var processor = transform.CreateProcessor(_file);
        for (var offset = 0; offset < input.Length; offset += Chunk)
        {
            processor.Append(input.AsSpan(offset, Math.Min(Chunk, input.Length - offset)), _output);
        }

        processor.Complete(_output);
        return _output.WrittenSpan;
    }
}
