using System.Buffers.Binary;
using System.Text;
using Pipeline.Compression;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;
using Pipeline.Transforms;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Pipeline.Tests.Compression;

public sealed class ZstdTests
{
    [Fact]
    public async Task ZstdThenUnzstd_GeneratedTreeWithEmptyAndStreamedFiles_GivesTheOriginalBytes()
    {
        using var temp = new TempDir();
        Corpus.Generate(temp.Sub("in"), files: 80, maxSize: 48 * 1024, seed: 17);
        temp.Write("in/empty.txt", []);
        temp.Write("in/big-text.txt", GzipReference.Text(300 * 1024, seed: 18));

        var zipped = await DataflowRunner.RunAsync(new ZstdTransform(), Options(temp.Sub("in"), temp.Sub("zst")));
        var unzipped = await DataflowRunner.RunAsync(new UnzstdTransform(), Options(temp.Sub("zst"), temp.Sub("out")));

        Assert.Equal(82, zipped.FilesSucceeded);
        Assert.Equal(82, unzipped.FilesSucceeded);
        Assert.Equal(Corpus.Snapshot(temp.Sub("in")), Corpus.Snapshot(temp.Sub("out")));
        Assert.True(new FileInfo(temp.Sub("zst/big-text.txt.zst")).Length < 300 * 1024 / 2);
    }

    [NeedsDebianToolFact("zstd", "zstd")]
    public async Task Zstd_OutputAtSeveralLevels_PassesSystemZstdTestAndDecompressesToTheOriginal()
    {
        using var temp = new TempDir();
        temp.Write("in/log.txt", GzipReference.Text(600 * 1024, seed: 12));
        temp.Write("in/mixed.bin", [.. GzipReference.Random(100 * 1024, seed: 13), .. new byte[200 * 1024]]);
        temp.Write("in/small.txt", "one small file\n"u8.ToArray());
        temp.Write("in/empty", []);

        foreach (var level in (int[])[1, ZstdTransform.DefaultLevel, 9, ZstdTransform.MaxLevel])
        {
            var summary = await DataflowRunner.RunAsync(new ZstdTransform(level), Options(temp.Sub("in"), temp.Sub($"l{level}"), 64 * 1024));

            Assert.Equal(4, summary.FilesSucceeded);
            foreach (var (path, bytes) in Corpus.Snapshot(temp.Sub("in")))
            {
                var zst = temp.Sub($"l{level}/{path}.zst");
                var test = await SystemZstd.RunAsync("-t", "-q", zst);
                Assert.True(test.ExitCode == 0, $"level {level}, {path}: {test.Stderr}");
                Assert.Equal(bytes, (await SystemZstd.RunAsync("-d", "-c", "-q", zst)).Stdout);
            }
        }

        // As the zstd command writes by default: the content size and a checksum in every frame.
        var frame = await File.ReadAllBytesAsync(temp.Sub("l3/small.txt.zst"));
        Assert.Equal(15UL, Decompressor.GetDecompressedSize(frame));
        Assert.Equal(4, frame[4] & 0x04); // frame header descriptor: content checksum flag
    }

    [NeedsDebianToolFact("zstd", "zstd")]
    public async Task Unzstd_FilesTheZstdCommandWrites_DecompressToTheOriginal()
    {
        using var temp = new TempDir();
        var text = GzipReference.Text(700 * 1024, seed: 4);
        temp.Write("src/text.txt", text);
        var source = temp.Sub("src/text.txt");
        Directory.CreateDirectory(temp.Sub("in"));
        await SystemZstd.RunAsync("-q", source, "-o", temp.Sub("in/default.zst"));
        await SystemZstd.RunAsync("-q", "-T2", "-19", source, "-o", temp.Sub("in/threads.zst"));
        await SystemZstd.RunAsync("-q", "--no-check", "-1", source, "-o", temp.Sub("in/no-check.zst"));
        var first = await File.ReadAllBytesAsync(temp.Sub("in/default.zst"));
        var second = await File.ReadAllBytesAsync(temp.Sub("in/no-check.zst"));
        temp.Write("in/concatenated.zst", [.. first, .. second]);

        // As pzstd writes: each frame preceded by a skippable frame that holds the size of the frame after it.
        var halves = new[] { text[..(text.Length / 2)], text[(text.Length / 2)..] };
        var pzstd = new List<byte>();
        foreach (var half in halves)
        {
            var frame = new Compressor(3).Wrap(half).ToArray();
            var skippable = new byte[12];
            BinaryPrimitives.WriteUInt32LittleEndian(skippable, 0x184D2A50);
            BinaryPrimitives.WriteUInt32LittleEndian(skippable.AsSpan(4), 4);
            BinaryPrimitives.WriteUInt32LittleEndian(skippable.AsSpan(8), (uint)frame.Length);
            pzstd.AddRange(skippable);
            pzstd.AddRange(frame);
        }

        temp.Write("in/pzstd-like.zst", [.. pzstd]);

        var summary = await DataflowRunner.RunAsync(new UnzstdTransform(), Options(temp.Sub("in"), temp.Sub("out"), 64 * 1024));

        Assert.True(summary.FilesSucceeded == 5, string.Join("; ", summary.Failures.Select(f => $"{f.RelativePath}: {f.Error}")));
        Assert.Equal(
            ["concatenated", "default", "no-check", "pzstd-like", "threads"],
            Corpus.Snapshot(temp.Sub("out")).Keys);
        Assert.Equal(text.Concat(text).ToArray(), await File.ReadAllBytesAsync(temp.Sub("out/concatenated")));
        foreach (var name in (string[])["default", "no-check", "pzstd-like", "threads"])
        {
            Assert.Equal(text, await File.ReadAllBytesAsync(temp.Sub("out/" + name)));
        }
    }

    [Theory]
    [InlineData("truncated", "truncated zstd data (the file ends inside a frame)")]
    [InlineData("header-only", "truncated zstd data (the file ends inside a frame)")]
    [InlineData("corrupt", "corrupt zstd data")]
    [InlineData("garbage-after", "trailing garbage after the last zstd frame")]
    [InlineData("not-zstd", "not zstd data (unknown frame header)")]
    [InlineData("empty", "empty file, not zstd data")]
    public async Task Unzstd_BadInput_FailsWithTheReasonAndLeavesNoOutput(string kind, string reason)
    {
        using var temp = new TempDir();
        var good = new Compressor(3).Wrap(GzipReference.Text(50 * 1024, seed: 8)).ToArray();
        var corrupt = good.ToArray();
        corrupt[corrupt.Length / 2] ^= 0x55;
        corrupt[(corrupt.Length / 2) + 1] ^= 0x55;
        byte[] bad = kind switch
        {
            "truncated" => good[..^10],
            "header-only" => good[..6],
            "corrupt" => corrupt,
            "garbage-after" => [.. good, (byte)'x', (byte)'y'],
            "not-zstd" => Encoding.ASCII.GetBytes("plain text, not compressed"),
            _ => [],
        };
        temp.Write("in/bad.zst", bad);
        temp.Write("in/good.zst", good);

        var summary = await DataflowRunner.RunAsync(new UnzstdTransform(), Options(temp.Sub("in"), temp.Sub("out")));

        var failed = Assert.Single(summary.Results, r => r.Status == FileStatus.Failed);
        Assert.Equal("bad.zst", failed.RelativePath);
        Assert.StartsWith(reason, failed.Error, StringComparison.Ordinal);
        Assert.Equal(["good"], Directory.GetFiles(temp.Sub("out")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Unzstd_FrameWindowLargerThanTheLimit_FailsSayingSoAndALargerLimitDecompressesIt()
    {
        using var temp = new TempDir();
        var input = GzipReference.Text(3 << 20, seed: 9);
        temp.Write("in/wide.zst", StreamedFrame(input, windowLog: 21));

        var limited = await DataflowRunner.RunAsync(new UnzstdTransform(maxWindowLog: 20), Options(temp.Sub("in"), temp.Sub("limited")));
        var enough = await DataflowRunner.RunAsync(new UnzstdTransform(maxWindowLog: 21), Options(temp.Sub("in"), temp.Sub("enough")));

        var failed = Assert.Single(limited.Failures);
        Assert.Equal("a frame needs a window larger than the 1 MiB the memory budget allows; give the run a larger memory budget", failed.Error);
        Assert.False(Directory.Exists(temp.Sub("limited")) && Directory.EnumerateFiles(temp.Sub("limited")).Any());
        Assert.Equal(1, enough.FilesSucceeded);
        Assert.Equal(input, await File.ReadAllBytesAsync(temp.Sub("enough/wide")));
    }

    [Theory]
    [InlineData(PipelineOptions.DefaultMemoryBudget, 24)]
    [InlineData(1L << 20, 18)]
    [InlineData((64L << 20) - 1, 23)]
    [InlineData(1L << 40, UnzstdTransform.DefaultMaxWindowLog)]
    public void WindowLogFor_Budget_IsTheLargestPowerOfTwoInAQuarterOfIt(long budget, int expected) =>
        Assert.Equal(expected, UnzstdTransform.WindowLogFor(budget));

    [Fact]
    public void GetOutputPath_ZstdAddsAndUnzstdRemovesTheExtension()
    {
        Assert.Equal("a/b.txt.zst", ((IFileTransform)new ZstdTransform()).GetOutputPath("a/b.txt"));
        IFileTransform sut = new UnzstdTransform();
        Assert.Equal("a/b.txt", sut.GetOutputPath("a/b.txt.zst"));
        Assert.Equal("c.tar", sut.GetOutputPath("c.tar.ZST"));
        Assert.Equal("odd.out", sut.GetOutputPath("odd"));
        Assert.Equal("a/.zst.out", sut.GetOutputPath("a/.zst"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    public void Zstd_LevelOutOfRange_Throws(int level) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZstdTransform(level));

    /// <summary>One frame written as a stream with no size known up front, so that its window stays as set (a file's size would shrink it).</summary>
    private static byte[] StreamedFrame(byte[] input, int windowLog)
    {
        using var compressor = new Compressor(3);
        compressor.SetParameter(ZSTD_cParameter.ZSTD_c_windowLog, windowLog);
        using var memory = new MemoryStream();
        var buffer = new byte[Compressor.GetCompressBound(input.Length)];
        _ = compressor.WrapStream(input, buffer, out _, out var written, isFinalBlock: false);
        memory.Write(buffer, 0, written);
        OperationStatusLoop(compressor, buffer, memory);
        return memory.ToArray();
    }

    private static void OperationStatusLoop(Compressor compressor, byte[] buffer, MemoryStream memory)
    {
        System.Buffers.OperationStatus status;
        do
        {
            status = compressor.FlushStream(buffer, out var written, isFinalBlock: true);
            memory.Write(buffer, 0, written);
        }
        while (status == System.Buffers.OperationStatus.DestinationTooSmall);
    }

    private static PipelineOptions Options(string input, string output, int chunk = PipelineOptions.MinChunkSize) =>
        new(new FileSelection(input), output) { ChunkSize = chunk };
}
