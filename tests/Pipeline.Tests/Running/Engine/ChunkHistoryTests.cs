using Pipeline.Running;
using Pipeline.Running.Engine;

namespace Pipeline.Tests.Running.Engine;

public sealed class ChunkHistoryTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100)]
    [InlineData(250)]
    public void Append_PiecesOfAnySize_HoldsTheLastBytesOfAllOfThem(int pieceSize)
    {
        const int capacity = 100;
        var data = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
        using var sut = new ChunkHistory(capacity);
        for (var offset = 0; offset < data.Length; offset += pieceSize)
        {
            var before = data.AsSpan(Math.Max(0, offset - capacity), Math.Min(offset, capacity)).ToArray();
            var copy = sut.Copy(out var length);
            Assert.Equal(before, copy.AsSpan(0, length).ToArray());
            System.Buffers.ArrayPool<byte>.Shared.Return(copy);

            sut.Append(data.AsSpan(offset, Math.Min(pieceSize, data.Length - offset)));
        }

        Assert.Equal(data[^capacity..], sut.Bytes.ToArray());
    }
}
