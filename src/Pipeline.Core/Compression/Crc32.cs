namespace Pipeline.Compression;

/// <summary>
/// The CRC-32 of gzip (ISO 3309, reflected polynomial 0xEDB88320): computed by the runtime's zlib, and combined from
/// the CRCs of consecutive pieces, so pieces checked in parallel give the CRC of the whole.
/// </summary>
/// <remarks>
/// Combining rests on CRC being linear over GF(2): appending n zero bytes to a message multiplies its CRC register by
/// x^(8n) modulo the polynomial, so crc(A + B) = crc(A) · x^(8·|B|) + crc(B). The power is built from the squares
/// x^(2^k), one table of 64 entries, in O(log n) products of 32 steps each, however long the pieces are.
/// </remarks>
internal static class Crc32
{
    /// <summary>The polynomial, bit-reversed: bit 31 holds the coefficient of x^0.</summary>
    private const uint Polynomial = 0xEDB88320;

    /// <summary>x^0, in the reversed representation.</summary>
    private const uint One = 1u << 31;

    /// <summary>x^(2^k) modulo the polynomial, for k = 0..63: one for each binary digit of a length in bits.</summary>
    private static readonly uint[] PowersOfTwo = BuildPowers();

    /// <summary><paramref name="crc"/> continued over <paramref name="data"/>; start with 0.</summary>
    public static unsafe uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            return NativeZlib.Crc32(crc, start, data.Length);
        }
    }

    /// <summary>The CRC of A followed by B, from <paramref name="first"/> = crc(A), <paramref name="second"/> = crc(B) and B's length.</summary>
    public static uint Combine(uint first, uint second, long secondLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(secondLength);
        return Multiply(PowerOfX(8 * (ulong)secondLength), first) ^ second;
    }

    /// <summary>a·b modulo the polynomial; both in the reversed representation.</summary>
    private static uint Multiply(uint a, uint b)
    {
        uint product = 0;
        for (var bit = One; bit != 0; bit >>= 1)
        {
            if ((a & bit) != 0)
            {
                product ^= b;
            }

            // b times x: a shift towards the low end, reduced by the polynomial when x^31's coefficient falls off.
            b = (b & 1) != 0 ? (b >> 1) ^ Polynomial : b >> 1;
        }

        return product;
    }

    /// <summary>x^<paramref name="n"/> modulo the polynomial, from the binary digits of n.</summary>
    private static uint PowerOfX(ulong n)
    {
        var power = One;
        for (var k = 0; n != 0; k++, n >>= 1)
        {
            if ((n & 1) != 0)
            {
                power = Multiply(PowersOfTwo[k], power);
            }
        }

        return power;
    }

    private static uint[] BuildPowers()
    {
        var powers = new uint[64];
        var square = One >> 1; // x^1
        for (var k = 0; k < powers.Length; k++)
        {
            powers[k] = square;
            square = Multiply(square, square);
        }

        return powers;
    }
}
