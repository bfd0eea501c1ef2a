using Pipeline.Compression;
using Pipeline.Hashing;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Contract;

/// <summary>The contract, continued: a streamed file whose chunks the transform processes apart (gzip, zstd, BLAKE3).</summary>
public abstract partial class RunnerContract
{
    /// <summary>How many computations (chunks of a streamed file, whole small files) the runner runs at once with <paramref name="parallelism"/>: at least, and at most.</summary>
    protected abstract (int Least, int Most) ChunksAtOnce(int parallelism);

    // ---------------------------------------------------------------- chunks processed apart

    [Fact]
    public async Task Run_StreamedFileOfIndependentChunks_ProcessesChunksAtOnceAsTheRunnerDoesAndJoinsThemInOrder()
    {
        using var temp = new TempDir();
        var input = GzipReference.Random((40 * Chunk) + 123, seed: 21);
        temp.Write("in/big.bin", input);
        temp.Write("in/small.bin", GzipReference.Random(Chunk, seed: 22));
        var (least, most) = ChunksAtOnce(parallelism: 2);
        using var transform = new ChunkedEchoTransform(holdUntilAtOnce: least, Patience);

        var summary = await RunAsync(transform, Options(temp).With(o => o.MaxDegreeOfParallelism = 2));

        Assert.True(summary.FilesSucceeded == 2, Show(summary));
        Assert.Equal(ChunkedEchoTransform.Expected(input, Chunk), await File.ReadAllBytesAsync(temp.Sub("out/big.bin.echo")));
        Assert.Equal(await File.ReadAllBytesAsync(temp.Sub("in/small.bin")), await File.ReadAllBytesAsync(temp.Sub("out/small.bin.echo")));
        Assert.InRange(transform.MostAtOnce, least, most);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Run_LargeFilesCutIntoChunksAmongSmallFiles_NeverComputeMoreAtOnceThanTheParallelism(int parallelism)
    {
        // Two large files whose chunks compute apart, and small files beside them: -p is the number of cores the run's
        // CPU work takes, however it is cut up (a large file's chunks used to run one more than -p, so -p 1 took two cores).
        using var temp = new TempDir();
        var inputs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (var i = 0; i < 2; i++)
        {
            inputs[$"big-{i}.bin"] = GzipReference.Random((12 * Chunk) + i, seed: 30 + i);
        }

        for (var i = 0; i < 12; i++)
        {
            inputs[$"small-{i:D2}.bin"] = GzipReference.Random(Chunk / 2, seed: 40 + i);
        }

        foreach (var (name, bytes) in inputs)
        {
            temp.Write("in/" + name, bytes);
        }

        var (least, most) = ChunksAtOnce(parallelism);
        using var transform = new ChunkedEchoTransform(holdUntilAtOnce: least, Patience, dwell: TimeSpan.FromMilliseconds(3));

        var summary = await RunAsync(transform, Options(temp).With(o => o.MaxDegreeOfParallelism = parallelism));

        Assert.True(summary.FilesSucceeded == inputs.Count, Show(summary));
        AssertTree(inputs.ToDictionary(i => i.Key + ".echo", i => ChunkedEchoTransform.Expected(i.Value, Chunk), StringComparer.Ordinal), temp.Sub("out"));
        Assert.InRange(transform.MostAtOnce, least, most);
    }

    [Fact]
    public async Task Run_CancelledWhileChunksOfAFileAreProcessed_TheFileIsCancelledAndNothingPartialIsLeft()
    {
        using var temp = new TempDir();
        temp.Write("in/big.bin", GzipReference.Random(30 * Chunk, seed: 23));
        using var transform = new ChunkedEchoTransform(holdUntilAtOnce: int.MaxValue, Patience);
        using var cancellation = new CancellationTokenSource();

        var run = RunAsync(transform, Options(temp), null, cancellation.Token);
        await WaitOrFailAsync(transform.Entered, run, "a chunk to reach the transform");
        await cancellation.CancelAsync();
        transform.Release();
        var summary = await run.WaitAsync(Patience);

        Assert.True(summary.Cancelled);
        Assert.Equal(FileStatus.Cancelled, Result(summary, "big.bin").Status);
        AssertTree(new Dictionary<string, byte[]>(), temp.Sub("out"));
        AssertLockReleased(temp.Sub("out"));
    }

    [LinuxFact]
    public Task Run_GzipOfEdgeSizesAndManyChunks_WritesTheDefinedBytesThatSystemGzipAcceptsAndRoundTrips() => GzipOfEdgeSizesAsync(libdeflate: false);

    [NeedsLibdeflateFact]
    public Task Run_GzipOnLibdeflateOfEdgeSizesAndManyChunks_WritesTheDefinedBytesThatSystemGzipAcceptsAndRoundTrips() => GzipOfEdgeSizesAsync(libdeflate: true);

    private async Task GzipOfEdgeSizesAsync(bool libdeflate)
    {
        using var temp = new TempDir();
        const int chunk = 128 * 1024;
        var inputs = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["empty.txt"] = [],
            ["one-byte.txt"] = "x"u8.ToArray(),
            ["one-chunk.txt"] = GzipReference.Text(chunk, seed: 1),
            ["one-chunk-and-a-byte.txt"] = GzipReference.Text(chunk + 1, seed: 2),
            ["many-chunks.txt"] = GzipReference.Text((40 * chunk) + 1234, seed: 3),
            ["random.bin"] = GzipReference.Random((6 * chunk) + 77, seed: 4),
        };
        foreach (var (name, bytes) in inputs)
        {
            temp.Write("in/" + name, bytes);
        }

        var transform = new GzipTransform(GzipTransform.DefaultLevel, libdeflate);
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")) { ChunkSize = chunk, MaxDegreeOfParallelism = 2 };

        var summary = await RunAsync(transform, options);

        Assert.True(summary.FilesSucceeded == inputs.Count, Show(summary));
        AssertTree(inputs.ToDictionary(i => i.Key + ".gz", i => GzipReference.Expected(transform, i.Key, i.Value, chunk), StringComparer.Ordinal), temp.Sub("out"));
        foreach (var (name, bytes) in inputs)
        {
            var gz = temp.Sub("out/" + name + ".gz");
            var test = await SystemGzip.RunAsync("-t", gz);
            Assert.True(test.ExitCode == 0, $"gzip -t {name}: {test.Stderr}");
            var back = await SystemGzip.RunAsync("-dc", gz);
            Assert.True(back.ExitCode == 0 && back.Stdout.AsSpan().SequenceEqual(bytes), $"gzip -dc {name} gave {back.Stdout.Length} bytes of {bytes.Length}: {back.Stderr}");
        }

        // With zlib-ng, files that fit one chunk keep one deflate stream; a streamed one is joined from chunks, and barely
        // larger. libdeflate's joined chunks are smaller still than zlib-ng's one stream.
        if (libdeflate)
        {
            Assert.InRange(new FileInfo(temp.Sub("out/many-chunks.txt.gz")).Length, 1, GzipReference.SingleStream(inputs["many-chunks.txt"], 6).Length * 1.01);
            return;
        }

        Assert.Equal(GzipReference.SingleStream(inputs["one-chunk.txt"], 6), await File.ReadAllBytesAsync(temp.Sub("out/one-chunk.txt.gz")));
        var many = new FileInfo(temp.Sub("out/many-chunks.txt.gz")).Length;
        var single = GzipReference.SingleStream(inputs["many-chunks.txt"], 6).Length;
        Assert.NotEqual(single, many);
        Assert.InRange(many, 1, single * 1.01);
    }

    [NeedsDebianToolFact("zstd", "zstd")]
    public async Task Run_ZstdOfEdgeSizesAndManyChunks_WritesAFramePerChunkThatSystemZstdAcceptsAndRoundTrips()
    {
        using var temp = new TempDir();
        const int chunk = 64 * 1024;
        var inputs = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["empty.txt"] = [],
            ["one-chunk.txt"] = GzipReference.Text(chunk, seed: 1),
            ["one-chunk-and-a-byte.txt"] = GzipReference.Text(chunk + 1, seed: 2),
            ["many-chunks.txt"] = GzipReference.Text((20 * chunk) + 1234, seed: 3),
            ["random.bin"] = GzipReference.Random((6 * chunk) + 77, seed: 4),
        };
        foreach (var (name, bytes) in inputs)
        {
            temp.Write("in/" + name, bytes);
        }

        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")) { ChunkSize = chunk, MaxDegreeOfParallelism = 2 };

        var summary = await RunAsync(new ZstdTransform(), options);

        Assert.True(summary.FilesSucceeded == inputs.Count, Show(summary));
        foreach (var (name, bytes) in inputs)
        {
            var zst = temp.Sub("out/" + name + ".zst");
            var test = await SystemZstd.RunAsync("-t", "-q", zst);
            Assert.True(test.ExitCode == 0, $"zstd -t {name}: {test.Stderr}");
            var back = await SystemZstd.RunAsync("-d", "-c", "-q", zst);
            Assert.True(back.ExitCode == 0 && back.Stdout.AsSpan().SequenceEqual(bytes), $"zstd -dc {name} gave {back.Stdout.Length} bytes of {bytes.Length}: {back.Stderr}");
            if (bytes.Length > chunk)
            {
                // A streamed file: each chunk on its own, one standard frame after another, whichever runner ran it.
                Assert.Equal(
                    bytes.Chunk(chunk).SelectMany(part => ZstdReferenceFrame(part)).ToArray(),
                    await File.ReadAllBytesAsync(zst));
            }
        }
    }

    [Theory]
    [InlineData(PipelineOptions.MinChunkSize)]
    [InlineData(2 * PipelineOptions.MinChunkSize)]
    [InlineData(3 * PipelineOptions.MinChunkSize)] // not a power of two: each file hashed whole on one core
    public async Task Run_Blake3OfStreamedFiles_SubtreesJoinToTheDigestOfTheWholeFile(int chunk)
    {
        // Around every shape of BLAKE3's tree over the run's chunks: 2 (one parent), 3 (unbalanced), 4 and 8 (balanced),
        // a partial last chunk of one byte, of one BLAKE3 chunk and a byte, of all but a byte.
        using var temp = new TempDir();
        var sizes = new[] { chunk + 1, 2 * chunk, (2 * chunk) + 1, (2 * chunk) + 1025, 3 * chunk, (4 * chunk) - 1, 4 * chunk, (7 * chunk) + 5, 8 * chunk, (8 * chunk) + 1, (13 * chunk) + 4000 };
        var inputs = sizes.ToDictionary(size => $"{size}.bin", size => GzipReference.Random(size, seed: size), StringComparer.Ordinal);
        foreach (var (name, bytes) in inputs)
        {
            temp.Write("in/" + name, bytes);
        }

        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")) { ChunkSize = chunk, MaxDegreeOfParallelism = 2 };

        var summary = await RunAsync(new HashTransform(HashAlgorithmKind.Blake3), options);

        Assert.True(summary.FilesSucceeded == inputs.Count, Show(summary));
        var expected = string.Concat(inputs.OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => $"{Convert.ToHexStringLower(ReferenceDigest(HashAlgorithmKind.Blake3, i.Value))}  {i.Key}\n"));
        Assert.Equal(expected, await File.ReadAllTextAsync(temp.Sub("out/B3SUMS")));
    }

    /// <summary>One chunk as the zstd command frames it by default (level 3, content size, checksum), made by the engine directly.</summary>
    private static byte[] ZstdReferenceFrame(byte[] part)
    {
        using var compressor = new ZstdSharp.Compressor(ZstdTransform.DefaultLevel);
        compressor.SetParameter(ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
        return compressor.Wrap(part).ToArray();
    }
}
