using System.IO.Compression;
using Pipeline.Compression;
using Pipeline.Hashing;
using Pipeline.Running;
using Pipeline.Running.Engine;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Running.Engine;

public sealed class MemoryBudgetTests
{
    private const int Chunk = 1024 * 1024;

    [Fact]
    public async Task Gzip_FilesFarLargerThanTheBudget_PeakStaysNearTheBudgetAndOutputsRoundTrip()
    {
        using var temp = new TempDir();
        var random = new Random(8);
        for (var i = 0; i < 3; i++)
        {
            var big = new byte[24 * Chunk];
            random.NextBytes(big.AsSpan(0, big.Length / 2)); // half random, half zeros: both kinds of deflate work
            temp.Write($"in/big{i}.bin", big);
        }

        Corpus.Generate(temp.Sub("in/small"), files: 60, maxSize: 200_000, seed: 9);
        var budget = 8L * Chunk;
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")) { MemoryBudget = budget, IoConcurrency = 8 };

        var summary = await DataflowRunner.RunAsync(new GzipTransform(1), options);

        Assert.Equal(63, summary.FilesSucceeded);
        // Whole-file buffering would show at least 24 MiB here. The budget admits files; the allowance of
        // four chunks covers output buffers that grow after admission.
        Assert.InRange(summary.PeakBufferedBytes, 4L * Chunk, budget + (4L * Chunk));
        foreach (var (path, bytes) in Corpus.Snapshot(temp.Sub("in")))
        {
            using var gzip = new GZipStream(File.OpenRead(temp.Sub("out/" + path + ".gz")), CompressionMode.Decompress);
            using var back = new MemoryStream();
            await gzip.CopyToAsync(back);
            Assert.True(bytes.AsSpan().SequenceEqual(back.ToArray()), path);
        }
    }

    [Fact]
    public async Task Gunzip_OutputHundredsOfTimesTheInput_IsWrittenAsItGrowsNotHeldInMemory()
    {
        using var temp = new TempDir();
        using (var file = File.Create(temp.Sub("bomb.gz")))
        using (var gzip = new GZipStream(file, CompressionLevel.SmallestSize))
        {
            var zeros = new byte[Chunk];
            for (var i = 0; i < 64; i++)
            {
                gzip.Write(zeros);
            }
        }

        Directory.CreateDirectory(temp.Sub("in"));
        File.Move(temp.Sub("bomb.gz"), temp.Sub("in/bomb.gz"));
        Assert.True(new FileInfo(temp.Sub("in/bomb.gz")).Length < Chunk / 4);
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")) { MemoryBudget = 8L * Chunk };

        var summary = await DataflowRunner.RunAsync(new GunzipTransform(), options);

        Assert.Equal(1, summary.FilesSucceeded);
        Assert.Equal(64L * Chunk, new FileInfo(temp.Sub("out/bomb")).Length);
        Assert.InRange(summary.PeakBufferedBytes, 1, 4L * Chunk);
    }

    [Fact]
    public async Task Hash_ManySmallFilesUnderATightBudget_AllComplete()
    {
        using var temp = new TempDir();
        Corpus.Generate(temp.Sub("in"), files: 200, maxSize: 900_000, seed: 4);
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")) { MemoryBudget = 6L * Chunk, IoConcurrency = 16, MaxDegreeOfParallelism = 4 };

        var summary = await DataflowRunner.RunAsync(new HashTransform(), options).WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(200, summary.FilesSucceeded);
        Assert.InRange(summary.PeakBufferedBytes, 1, 6L * Chunk);
    }

    [Fact]
    public void Validate_BudgetSmallerThanSixChunks_IsAConfigurationError()
    {
        var options = new PipelineOptions(new FileSelection(Corpus.TestDataRoot), Path.GetTempPath() + "/x") { ChunkSize = 4 * Chunk, MemoryBudget = 8L * Chunk };

        var error = Assert.Throws<PipelineOptionsException>(options.Validate);

        var problem = Assert.Single(error.Problems);
        Assert.Equal("MemoryBudget", problem.Property);
        Assert.Equal($"MemoryBudget: {8L * Chunk} bytes is less than 6 chunks of ChunkSize ({24L * Chunk} bytes): one streamed file needs 4 for reading and 2 for output", problem.ToString());
    }
}
