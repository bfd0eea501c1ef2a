using System.Buffers;
using Pipeline.Hashing;

namespace Pipeline.Tests.Hashing;

public sealed class Blake3SubtreesTests
{
    [Theory]
    [InlineData(4096, 2)]
    [InlineData(4096, 3)]
    [InlineData(4096, 16)]
    [InlineData(1 << 20, 5)]
    public void Complete_ChunksProcessedOutOfOrderAndJoinedInOrder_GivesTheDigestOfTheWhole(int chunk, int count)
    {
        var input = new byte[(chunk * (count - 1)) + 777];
        new Random(count).NextBytes(input);
        var sut = new Blake3Subtrees();
        var checks = new Pipeline.Transforms.ChunkCheck[count];

        // As the pipeline does: chunks on any thread, in any order; joins in file order.
        Parallel.For(0, count, i =>
        {
            var start = i * chunk;
            checks[i] = sut.Process(start, [], input.AsSpan(start, Math.Min(chunk, input.Length - start)), new ArrayBufferWriter<byte>());
        });
        foreach (var check in checks)
        {
            sut.Join(check);
        }

        var digest = (byte[])sut.Complete(new ArrayBufferWriter<byte>())!;

        Assert.Equal(Convert.ToHexStringLower(Blake3.Hasher.Hash(input).AsSpan()), Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void Join_AShortChunkBeforeTheLast_Throws()
    {
        var sut = new Blake3Subtrees();
        var data = new byte[8192];
        sut.Join(sut.Process(0, [], data.AsSpan(0, 4096), new ArrayBufferWriter<byte>()));
        sut.Join(sut.Process(4096, [], data.AsSpan(0, 100), new ArrayBufferWriter<byte>()));

        Assert.Throws<InvalidOperationException>(() => sut.Join(sut.Process(8192, [], data.AsSpan(0, 4096), new ArrayBufferWriter<byte>())));
    }

    [Fact]
    public void Complete_OneChunkOnly_Throws()
    {
        // One chunk would be the root, which only the whole-file hasher compresses.
        var sut = new Blake3Subtrees();
        sut.Join(sut.Process(0, [], new byte[4096], new ArrayBufferWriter<byte>()));

        Assert.Throws<InvalidOperationException>(() => sut.Complete(new ArrayBufferWriter<byte>()));
    }

    [Theory]
    [InlineData(4096, true)]
    [InlineData(1 << 20, true)]
    [InlineData(12288, false)]
    [InlineData(512, false)]
    public void Fits_PowersOfTwoOfWholeChunksOnly(int chunkSize, bool fits) => Assert.Equal(fits, Blake3Subtrees.Fits(chunkSize));
}
