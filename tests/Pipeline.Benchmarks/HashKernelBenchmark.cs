using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;

namespace Pipeline.Benchmarks;

/// <summary>The hash transform's kernel: one-shot against a reused IncrementalHash, per buffer size.</summary>
public class HashKernelBenchmark
{
    private readonly IncrementalHash _incremental = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[] _data = [];

    [Params(4 * 1024, 1024 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[Size];
        new Random(2).NextBytes(_data);
    }

    [GlobalCleanup]
    public void Cleanup() => _incremental.Dispose();

    [Benchmark(Baseline = true)]
    public byte[] OneShot() => SHA256.HashData(_data);

    [Benchmark]
    public byte[] ReusedIncremental()
    {
        _incremental.AppendData(_data);
        return _incremental.GetHashAndReset();
    }
}
