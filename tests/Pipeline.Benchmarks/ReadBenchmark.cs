using BenchmarkDotNet.Attributes;
using Microsoft.Win32.SafeHandles;

namespace Pipeline.Benchmarks;

/// <summary>
/// Reading a file: synchronous against asynchronous reads, by buffer size. On Linux an "asynchronous" file read is
/// the same read queued to the thread pool; this shows what that hop costs, which is why small files are read
/// synchronously on the pipeline's I/O stage and large ones stream with asynchronous reads.
/// </summary>
public class ReadBenchmark
{
    private string _path = string.Empty;
    private byte[] _buffer = [];

    [Params(4 * 1024, 64 * 1024, 1024 * 1024)]
    public int BufferSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Join(Path.GetTempPath(), "pipeline-read-bench.bin");
        var data = new byte[16 * 1024 * 1024];
        new Random(3).NextBytes(data);
        File.WriteAllBytes(_path, data);
        _buffer = new byte[BufferSize];
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    [Benchmark(Baseline = true)]
    public long Synchronous()
    {
        using var handle = File.OpenHandle(_path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long offset = 0;
        int n;
        while ((n = RandomAccess.Read(handle, _buffer, offset)) > 0)
        {
            offset += n;
        }

        return offset;
    }

    [Benchmark]
    public async Task<long> Asynchronous()
    {
        using SafeFileHandle handle = File.OpenHandle(_path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
        long offset = 0;
        int n;
        while ((n = await RandomAccess.ReadAsync(handle, _buffer, offset)) > 0)
        {
            offset += n;
        }

        return offset;
    }
}
