using System.Security.Cryptography;
using System.Text;
using Pipeline.Sharding;
using Pipeline.Text;

namespace Pipeline.Tests.Text;

/// <summary>
/// Our NFC (the library runs with invariant globalization, where <see cref="string.Normalize()"/> does nothing) against
/// Python's <c>unicodedata</c> (Unicode 14.0): every code point alone, by a digest of all of them, and sequences that
/// exercise ordering, blocking, exclusions, singletons and Hangul, each expectation printed by Python.
/// </summary>
public sealed class UnicodeNfcTests
{
    [Fact]
    public void Normalize_EveryCodePointAlone_IsWhatPythonsUnicodedataGives()
    {
        // sha256("\n".join(normalize('NFC', chr(c)) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF).encode())
        Assert.Equal("900f12a0fd5b368b56e972d9dcc9cc0584951930f9d9724d079e44f36f332796", Digest(UnicodeNfc.Normalize));
    }

    [Fact]
    public void Decompose_EveryCodePointAlone_IsWhatPythonsUnicodedataGives()
    {
        // The same with normalize('NFD', ...).
        Assert.Equal("45bfd20e6479fe62a36854d0251ce488f571162983f514e0bf9c6821f2e3fec3", Digest(UnicodeNfc.Decompose));
    }

    [Fact]
    public void Normalize_EveryCodePointsDecomposition_ComposesBackToItsNfc()
    {
        for (var point = 0; point < 0x110000; point++)
        {
            if (point is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            var text = char.ConvertFromUtf32(point);
            Assert.Equal(UnicodeNfc.Normalize(text), UnicodeNfc.Normalize(UnicodeNfc.Decompose(text)));
        }
    }

    [Theory]
    [InlineData("e\u0301", "\u00e9")] // compose
    [InlineData("\u212B", "\u00c5")] // singleton: ANGSTROM SIGN
    [InlineData("\u0958", "\u0915\u093c")] // composition exclusion
    [InlineData("\u1100\u1161\u11A8", "\uac01")] // Hangul L V T
    [InlineData("e\u0302\u0323", "\u1ec7")] // marks out of canonical order
    [InlineData("a\u0328\u0301", "\u0105\u0301")] // the first mark composes, the second is blocked by nothing but has no composite
    [InlineData("A\u0301\u0301", "\u00c1\u0301")] // the same class twice: the second is blocked
    [InlineData("\u00C5\u0301", "\u01fa")] // a composite composes further
    [InlineData("\u1E9B\u0323", "\u1e9b\u0323")]
    [InlineData("\u0f73", "\u0f71\u0f72")] // non-starter decomposition
    [InlineData("\U0001D15E", "\U0001D157\U0001D165")] // astral, excluded
    [InlineData("\u0344", "\u0308\u0301")]
    [InlineData("x\u0301\u0300", "x\u0301\u0300")]
    [InlineData("a\u05B0\u0301\u0327", "\u00e1\u05b0\u0327")] // reordered, then composed across lower classes
    [InlineData("plain/ascii path.txt", "plain/ascii path.txt")]
    public void Normalize_Sequence_IsWhatPythonsUnicodedataGives(string text, string expected)
    {
        Assert.Equal(expected, UnicodeNfc.Normalize(text));
    }

    [Fact]
    public void Normalize_LoneSurrogate_IsKeptAsItIs()
    {
        Assert.Equal("a\ud800e\u0301".Replace("e\u0301", "\u00e9", StringComparison.Ordinal), UnicodeNfc.Normalize("a\ud800e\u0301"));
    }

    private static string Digest(Func<string, string> normalize)
    {
        var all = new StringBuilder();
        for (var point = 0; point < 0x110000; point++)
        {
            if (point is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            if (all.Length > 0)
            {
                all.Append('\n');
            }

            all.Append(normalize(char.ConvertFromUtf32(point)));
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(all.ToString())));
    }
}
