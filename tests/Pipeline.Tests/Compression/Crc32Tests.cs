using System.Text;
using Pipeline.Compression;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Compression;

public sealed class Crc32Tests
{
    [Fact]
    public void Append_TheStandardCheckString_GivesTheStandardCheckValue()
    {
        Assert.Equal(0xCBF43926u, Crc32.Append(0, "123456789"u8));
        Assert.Equal(Bitwise("The quick brown fox jumps over the lazy dog"u8), Crc32.Append(0, "The quick brown fox jumps over the lazy dog"u8));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    [InlineData(1, 1)]
    [InlineData(5, 3)]
    [InlineData(1000, 32 * 1024)]
    [InlineData(3 << 20, (1 << 20) + 7)]
    public void Combine_TwoPieces_GivesTheCrcOfBothTogether(int firstLength, int secondLength)
    {
        var data = GzipReference.Random(firstLength + secondLength, seed: firstLength ^ secondLength);
        var first = Crc32.Append(0, data.AsSpan(0, firstLength));
        var second = Crc32.Append(0, data.AsSpan(firstLength));

        var sut = Crc32.Combine(first, second, secondLength);

        Assert.Equal(Bitwise(data), sut);
    }

    [Fact]
    public void Combine_ManyPiecesInOrder_GivesTheCrcOfTheWhole()
    {
        var data = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 50_000).Select(i => $"{i} ")));
        var random = new Random(6);
        uint sut = 0;
        for (var offset = 0; offset < data.Length;)
        {
            var length = Math.Min(random.Next(1, 20_000), data.Length - offset);
            sut = Crc32.Combine(sut, Crc32.Append(0, data.AsSpan(offset, length)), length);
            offset += length;
        }

        Assert.Equal(Bitwise(data), sut);
    }

    /// <summary>CRC-32 bit by bit, from its definition: the independent reference.</summary>
    private static uint Bitwise(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
