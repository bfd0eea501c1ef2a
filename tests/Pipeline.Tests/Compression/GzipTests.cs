using System.IO.Compression;
using System.Text;
using Pipeline.Compression;
using Pipeline.IO;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;
using Pipeline.Transforms;

namespace Pipeline.Tests.Compression;

public sealed class GzipTests
{
    [Fact]
    public async Task GzipThenGunzip_GeneratedTreeWithEmptyAndStreamedFiles_GivesTheOriginalBytes()
    {
        using var temp = new TempDir();
        Corpus.Generate(temp.Sub("in"), files: 120, maxSize: 48 * 1024, seed: 11);
        temp.Write("in/big-text.txt", Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 20_000).Select(i => $"line {i} of some text\n"))));
        var chunk = PipelineOptions.MinChunkSize;

        var zipped = await DataflowRunner.RunAsync(new GzipTransform(), Options(temp.Sub("in"), temp.Sub("gz"), chunk));
        var unzipped = await DataflowRunner.RunAsync(new GunzipTransform(), Options(temp.Sub("gz"), temp.Sub("out"), chunk));

        Assert.Equal(121, zipped.FilesSucceeded);
        Assert.Equal(121, unzipped.FilesSucceeded);
        Assert.Equal(Corpus.Snapshot(temp.Sub("in")), Corpus.Snapshot(temp.Sub("out")));
        Assert.True(new FileInfo(temp.Sub("gz/big-text.txt.gz")).Length < new FileInfo(temp.Sub("in/big-text.txt")).Length / 5);
    }

    [Fact]
    public async Task Gzip_Output_IsReadableByTheFrameworksOwnGZipStream()
    {
        using var temp = new TempDir();
        var original = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("héllo gzip ", 5000)));
        temp.Write("in/a.txt", original);
        temp.Write("in/empty.txt", []);

        await DataflowRunner.RunAsync(new GzipTransform(9), Options(temp.Sub("in"), temp.Sub("gz"), PipelineOptions.MinChunkSize));

        Assert.Equal(original, Decompress(temp.Sub("gz/a.txt.gz")));
        Assert.Empty(Decompress(temp.Sub("gz/empty.txt.gz")));
    }

    [LinuxFact]
    public async Task Gzip_Output_PassesSystemGzipTestAndDecompressesToTheOriginal()
    {
        using var temp = new TempDir();
        Corpus.Generate(temp.Sub("in"), files: 30, maxSize: 30_000, seed: 5);

        var summary = await DataflowRunner.RunAsync(new GzipTransform(), Options(temp.Sub("in"), temp.Sub("gz"), 8192));

        Assert.Equal(30, summary.FilesSucceeded);
        foreach (var (path, bytes) in Corpus.Snapshot(temp.Sub("in")))
        {
            var gz = temp.Sub("gz/" + path + ".gz");
            Assert.Equal(0, (await SystemGzip.RunAsync("-t", gz)).ExitCode);
            Assert.Equal(bytes, (await SystemGzip.RunAsync("-dc", gz)).Stdout);
        }
    }

    [LinuxFact]
    public async Task Gzip_StreamedFileAtEveryLevel_PassesSystemGzipTestAndDecompressesToTheOriginal()
    {
        using var temp = new TempDir();
        var text = GzipReference.Text(600 * 1024, seed: 12);
        temp.Write("in/log.txt", text);
        temp.Write("in/mixed.bin", [.. GzipReference.Random(100 * 1024, seed: 13), .. new byte[200 * 1024], .. text.AsSpan(0, 100 * 1024)]);

        for (var level = 1; level <= 9; level++)
        {
            var summary = await DataflowRunner.RunAsync(new GzipTransform(level), Options(temp.Sub("in"), temp.Sub($"l{level}"), 64 * 1024));

            Assert.Equal(2, summary.FilesSucceeded);
            foreach (var (path, bytes) in Corpus.Snapshot(temp.Sub("in")))
            {
                var gz = temp.Sub($"l{level}/{path}.gz");
                var test = await SystemGzip.RunAsync("-t", gz);
                Assert.True(test.ExitCode == 0, $"level {level}, {path}: {test.Stderr}");
                Assert.Equal(bytes, (await SystemGzip.RunAsync("-dc", gz)).Stdout);
            }
        }
    }

    [LinuxFact]
    public async Task Gunzip_ConcatenatedMembersFromSystemGzip_DecompressesThemAll()
    {
        using var temp = new TempDir();
        var first = temp.Write("parts/one.txt", "first member\n");
        var second = temp.Write("parts/two.txt", string.Concat(Enumerable.Repeat("second member\n", 10_000)));
        var joined = (await SystemGzip.RunAsync("-c", first)).Stdout.Concat((await SystemGzip.RunAsync("-c", second)).Stdout).ToArray();
        temp.Write("in/joined.txt.gz", joined);
        temp.Write("in/padded.txt.gz", [.. joined, 0, 0, 0, 0]);

        var summary = await DataflowRunner.RunAsync(new GunzipTransform(), Options(temp.Sub("in"), temp.Sub("out"), PipelineOptions.MinChunkSize));

        Assert.Equal(2, summary.FilesSucceeded);
        var expected = await File.ReadAllTextAsync(first) + await File.ReadAllTextAsync(second);
        Assert.Equal(expected, await File.ReadAllTextAsync(temp.Sub("out/joined.txt")));
        Assert.Equal(expected, await File.ReadAllTextAsync(temp.Sub("out/padded.txt")));
    }

    [Theory]
    [InlineData("truncated-half", "truncated gzip data (the file ends inside a member)")]
    [InlineData("truncated-trailer", "truncated gzip data (the file ends inside a member)")]
    [InlineData("flipped-data", "corrupt gzip data")]
    [InlineData("flipped-crc", "corrupt gzip data (incorrect data check)")]
    [InlineData("garbage-after", "trailing garbage after the last gzip member")]
    [InlineData("not-gzip", "corrupt gzip data (incorrect header check)")]
    [InlineData("empty", "empty file, not gzip data")]
    public async Task Gunzip_BadInput_FailsWithTheReasonLeavesNoOutputAndTheRunGoesOn(string kind, string reason)
    {
        using var temp = new TempDir();
        var good = Compress(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 30_000).Select(i => $"{i},"))));
        byte[] bad = kind switch
        {
            "truncated-half" => good[..(good.Length / 2)],
            "truncated-trailer" => good[..^3],
            "flipped-data" => Flip(good, good.Length / 2),
            "flipped-crc" => Flip(good, good.Length - 6),
            "garbage-after" => [.. good, (byte)'x', (byte)'y'],
            "not-gzip" => Encoding.ASCII.GetBytes("plain text, not compressed"),
            _ => [],
        };
        temp.Write("in/bad.gz", bad);
        temp.Write("in/good.gz", good);

        var summary = await DataflowRunner.RunAsync(new GunzipTransform(), Options(temp.Sub("in"), temp.Sub("out"), PipelineOptions.MinChunkSize));

        var failed = Assert.Single(summary.Results, r => r.Status == FileStatus.Failed);
        Assert.Equal("bad.gz", failed.RelativePath);
        Assert.StartsWith(reason, failed.Error, StringComparison.Ordinal);
        Assert.Equal(["good"], Directory.GetFiles(temp.Sub("out")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Gzip_Levels_OneIsLargerThanNineAndSixIsTheDefault()
    {
        using var temp = new TempDir();
        var random = new Random(3);
        temp.Write("in/t.txt", Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 40_000).Select(_ => random.Next(1000) + " "))));

        await DataflowRunner.RunAsync(new GzipTransform(1), Options(temp.Sub("in"), temp.Sub("l1"), 1 << 20));
        await DataflowRunner.RunAsync(new GzipTransform(9), Options(temp.Sub("in"), temp.Sub("l9"), 1 << 20));
        await DataflowRunner.RunAsync(new GzipTransform(), Options(temp.Sub("in"), temp.Sub("l6"), 1 << 20));
        await DataflowRunner.RunAsync(new GzipTransform(6), Options(temp.Sub("in"), temp.Sub("explicit6"), 1 << 20));

        Assert.True(new FileInfo(temp.Sub("l1/t.txt.gz")).Length > new FileInfo(temp.Sub("l9/t.txt.gz")).Length);
        Assert.Equal(await File.ReadAllBytesAsync(temp.Sub("l6/t.txt.gz")), await File.ReadAllBytesAsync(temp.Sub("explicit6/t.txt.gz")));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GzipTransform(0));
    }

    [Fact]
    public void GunzipOutputPath_DropsTheGzExtension()
    {
        IFileTransform sut = new GunzipTransform();

        Assert.Equal("a/b.txt", sut.GetOutputPath("a/b.txt.gz"));
        Assert.Equal("c.tar", sut.GetOutputPath("c.tar.GZ"));
        Assert.Equal("odd.out", sut.GetOutputPath("odd"));
    }

    private static PipelineOptions Options(string input, string output, int chunk) =>
        new(new FileSelection(input), output) { ChunkSize = chunk };

    private static byte[] Compress(byte[] data)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return memory.ToArray();
    }

    private static byte[] Decompress(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }

    private static byte[] Flip(byte[] data, int at)
    {
        var copy = data.ToArray();
        copy[at] ^= 0x55;
        return copy;
    }
}
