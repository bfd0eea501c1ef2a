using System.Buffers;
using System.IO.Compression;
using Pipeline.Compression;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;
using Pipeline.Transforms;

namespace Pipeline.Tests.Compression;

/// <summary>
/// gzip on libdeflate: the block walk that finds a deflate stream's final block, pieces compressed apart that join into
/// one stream, and the engine in the resume fingerprint.
/// </summary>
public sealed class LibdeflateTests
{
    public static TheoryData<string, int> Streams => new()
    {
        { "one byte", 0 }, { "text", 1 }, { "random", 2 }, { "mixed", 3 },
    };

    [Theory]
    [MemberData(nameof(Streams))]
    public void FindLast_ZlibStreamsOfEveryBlockType_EndsWhereTheStreamsLastByteIs(string kind, int seed)
    {
        foreach (var level in new[] { 0, 1, 6, 9 })
        {
            var raw = RawDeflate(Data(kind, seed), level);

            var (finalHeader, end) = DeflateBlocks.FindLast(raw);

            Assert.True((end + 7) / 8 == raw.Length, $"{kind} at level {level}: the walk ended at bit {end}, the stream has {raw.Length} bytes");
            Assert.InRange(finalHeader, 0, end - 3);
            Assert.Equal(1, (raw[finalHeader / 8] >> (int)(finalHeader % 8)) & 1); // the final bit is set there
        }
    }

    [Fact]
    public void FindLast_StreamCutShort_FailsAsInvalidData()
    {
        var raw = RawDeflate(Data("text", 7), 6);

        Assert.Throws<InvalidDataException>(() => DeflateBlocks.FindLast(raw.AsSpan(0, raw.Length / 2)));
        Assert.Throws<InvalidDataException>(() => DeflateBlocks.FindLast([0x07])); // a block of the reserved type 3
        Assert.Throws<InvalidDataException>(() => DeflateBlocks.FindLast([])); // no block at all
    }

    [NeedsLibdeflateFact]
    public void CompressJoinable_PiecesCompressedApartThenAFinalBlock_InflateToTheWholeInput()
    {
        for (var seed = 0; seed < 12; seed++)
        {
            var data = Data(seed % 2 == 0 ? "text" : "mixed", seed);
            var random = new Random(seed);
            var joined = new ArrayBufferWriter<byte>();
            for (var offset = 0; offset < data.Length;)
            {
                var length = Math.Min(data.Length - offset, random.Next(0, 200_000));
                Libdeflate.CompressJoinable(1 + (seed % 9), data.AsSpan(offset, length), joined);
                offset += length;
            }

            joined.Write<byte>([0x03, 0x00]); // an empty final block

            using var inflate = new DeflateStream(new MemoryStream(joined.WrittenSpan.ToArray()), CompressionMode.Decompress);
            using var back = new MemoryStream();
            inflate.CopyTo(back);
            Assert.True(data.AsSpan().SequenceEqual(back.ToArray()), $"seed {seed}: {back.Length} bytes back of {data.Length}");
        }
    }

    [NeedsLibdeflateFact]
    public async Task Resume_AfterTheOtherEngine_RedoesEveryFileAndBothOutputsDecompressAlike()
    {
        using var temp = new TempDir();
        Corpus.Generate(temp.Sub("in"), files: 10, maxSize: 50_000, seed: 8);
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")) { Resume = true };
        await DataflowRunner.RunAsync(new GzipTransform(6, libdeflate: false), options);
        var zlib = Corpus.Snapshot(temp.Sub("out")).Where(f => f.Key.EndsWith(".gz", StringComparison.Ordinal)).ToDictionary(f => f.Key, f => f.Value);

        var same = await DataflowRunner.RunAsync(new GzipTransform(6, libdeflate: false), options);
        var other = await DataflowRunner.RunAsync(new GzipTransform(6, libdeflate: true), options);

        Assert.Equal((10, 0), (same.FilesSkipped, same.FilesSucceeded));
        Assert.Equal((0, 10), (other.FilesSkipped, other.FilesSucceeded));
        foreach (var (path, bytes) in zlib)
        {
            var now = await File.ReadAllBytesAsync(temp.Sub("out/" + path));
            Assert.Equal(Gunzip(bytes), Gunzip(now));
        }

        Assert.NotEqual(((IFileTransform)new GzipTransform(6, libdeflate: false)).Fingerprint, ((IFileTransform)new GzipTransform(6, libdeflate: true)).Fingerprint);
        Assert.Equal("libdeflate", new GzipTransform().Engine);
    }

    private static byte[] Data(string kind, int seed) => kind switch
    {
        "one byte" => [42],
        "text" => GzipReference.Text(700_000 + seed, seed),
        "random" => GzipReference.Random(300_000, seed),
        _ => [.. GzipReference.Random(90_000, seed), .. new byte[150_000], .. GzipReference.Text(400_000, seed)],
    };

    private static byte[] RawDeflate(byte[] data, int level)
    {
        using var memory = new MemoryStream();
        using (var deflate = new DeflateStream(memory, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true))
        {
            deflate.Write(data);
        }

        return memory.ToArray();
    }

    private static byte[] Gunzip(byte[] gz)
    {
        using var gzip = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var back = new MemoryStream();
        gzip.CopyTo(back);
        return back.ToArray();
    }
}
