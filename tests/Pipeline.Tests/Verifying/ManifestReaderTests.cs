using Pipeline.Hashing;
using Pipeline.Tests.Support;
using Pipeline.Verifying;

namespace Pipeline.Tests.Verifying;

public sealed class ManifestReaderTests
{
    private const string Sha256 = "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb";

    [Theory]
    [InlineData(Sha256 + "  a.txt", "a.txt")]
    [InlineData(Sha256 + " *a.txt", "a.txt")]
    [InlineData(Sha256 + " a.txt", "a.txt")]
    [InlineData(Sha256 + "\ta.txt", "a.txt")]
    [InlineData(Sha256 + "  a.txt\r", "a.txt")]
    [InlineData("  " + Sha256 + "  a.txt", "a.txt")]
    [InlineData(Sha256 + "  ./a.txt", "a.txt")]
    [InlineData(Sha256 + "   lead space", " lead space")]
    [InlineData(Sha256 + "  trail ", "trail ")]
    [InlineData(Sha256 + "  -lead", "-lead")]
    [InlineData(Sha256 + "  a\\b", "a\\b")]
    [InlineData("\\" + Sha256 + "  a\\\\b", "a\\b")]
    [InlineData("\\" + Sha256 + "  new\\nline", "new\nline")]
    [InlineData("\\" + Sha256 + "  car\\rriage", "car\rriage")]
    [InlineData("SHA256 (tagged name) = " + Sha256, "tagged name")]
    [InlineData("\\SHA256 (a\\nb) = " + Sha256, "a\nb")]
    public void Parse_ValidLine_GivesPathAndDigest(string line, string path)
    {
        var kind = ManifestLine.Parse(line, out var parsed, out var hex, out _);

        Assert.Equal(ManifestLine.Kind.Entry, kind);
        Assert.Equal(path, parsed);
        Assert.Equal(Sha256, line[hex], ignoreCase: true);
        Assert.Equal(Convert.FromHexString(Sha256), ManifestLine.Digest(line.AsSpan()[hex]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("zz  a.txt")]
    [InlineData(Sha256)]
    [InlineData(Sha256 + "  ")]
    [InlineData("abc  a.txt")]
    [InlineData("\\" + Sha256 + "  bad\\qescape")]
    [InlineData("\\" + Sha256 + "  trailing\\")]
    [InlineData("SHA1 (x) = " + Sha256)]
    [InlineData("SHA256 (x) " + Sha256)]
    public void Parse_ImproperLine_IsMalformed(string line) =>
        Assert.Equal(ManifestLine.Kind.Malformed, ManifestLine.Parse(line, out _, out _, out _));

    [Fact]
    public void Parse_Comment_IsNeitherEntryNorMalformed() =>
        Assert.Equal(ManifestLine.Kind.Comment, ManifestLine.Parse("# written by hand", out _, out _, out _));

    [Theory]
    [InlineData("SHA256SUMS", HashAlgorithmKind.Sha256)]
    [InlineData("SHA1SUMS", HashAlgorithmKind.Sha1)]
    [InlineData("SHA384SUMS", HashAlgorithmKind.Sha384)]
    [InlineData("SHA512SUMS", HashAlgorithmKind.Sha512)]
    [InlineData("MD5SUMS", HashAlgorithmKind.Md5)]
    [InlineData("backup.sha512", HashAlgorithmKind.Sha512)]
    [InlineData("sha256sums.txt", HashAlgorithmKind.Sha256)]
    [InlineData("B3SUMS", HashAlgorithmKind.Blake3)]
    [InlineData("photos.b3", HashAlgorithmKind.Blake3)]
    [InlineData("XXH128SUMS", HashAlgorithmKind.Xxh128)]
    [InlineData("photos.xxh128", HashAlgorithmKind.Xxh128)]
    public void FromFileName_KnownName_GivesAlgorithm(string name, HashAlgorithmKind algorithm) =>
        Assert.Equal(algorithm, ManifestLine.FromFileName(name));

    [Theory]
    [InlineData(32, HashAlgorithmKind.Md5)]
    [InlineData(40, HashAlgorithmKind.Sha1)]
    [InlineData(64, HashAlgorithmKind.Sha256)]
    [InlineData(96, HashAlgorithmKind.Sha384)]
    [InlineData(128, HashAlgorithmKind.Sha512)]
    public void Open_UnnamedManifest_TakesAlgorithmFromDigestLength(int hexLength, HashAlgorithmKind algorithm)
    {
        using var temp = new TempDir();
        var path = temp.Write("checksums.txt", "not a line\n" + new string('a', hexLength) + "  x\n");

        var sut = ManifestReader.Open(path);

        Assert.Equal(algorithm, sut.Algorithm);
        var entry = Assert.Single(sut.ReadEntries());
        Assert.Equal("x", entry.Path);
        Assert.Equal(1, sut.MalformedLines);
    }

    [Fact]
    public void ReadEntries_NamedSha256WithOtherLengths_CountsThemMalformedAsSha256sumDoes()
    {
        using var temp = new TempDir();
        var path = temp.Write("SHA256SUMS", $"{Sha256}  ok\n{new string('b', 40)}  sha1\n\n{Sha256}  also\n# comment\n");

        var sut = ManifestReader.Open(path);
        var entries = sut.ReadEntries().ToList();

        Assert.Equal(["ok", "also"], entries.Select(e => e.Path));
        Assert.Equal([1L, 4L], entries.Select(e => e.Line));
        Assert.Equal(2, sut.MalformedLines); // the SHA-1 line and the empty one; the comment is not counted
        Assert.Equal(2, sut.Entries);
    }

    [Fact]
    public void ReadEntries_NameWithRawCr_SplitsLinesAtLfOnly()
    {
        using var temp = new TempDir();
        var path = temp.Write("SHA256SUMS", $"{Sha256}  a\rb\n{Sha256}  c\r\n");

        var entries = ManifestReader.Open(path).ReadEntries().Select(e => e.Path).ToList();

        Assert.Equal(["a\rb", "c"], entries);
    }

    [Fact]
    public void Open_NoValidLine_ThrowsInvalidDataNamingTheFile()
    {
        using var temp = new TempDir();
        var path = temp.Write("SHA256SUMS", "junk\n\n");

        var ex = Assert.Throws<InvalidDataException>(() => ManifestReader.Open(path));

        Assert.Contains("no properly formatted", ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadEntries_HashesCsv_ReadsQuotedPathsAndCountsBadRows()
    {
        using var temp = new TempDir();
        var path = temp.Write("hashes.csv", $"path,size,hash\n\"a,\n b\",3,{Sha256}\nplain,1,{Sha256}\nbad,x,{Sha256}\nshort,1\n");

        var sut = ManifestReader.Open(path);
        var entries = sut.ReadEntries().ToList();

        Assert.True(sut.IsCsv);
        Assert.Equal(HashAlgorithmKind.Sha256, sut.Algorithm);
        Assert.Equal(["a,\n b", "plain"], entries.Select(e => e.Path));
        Assert.Equal(2, sut.MalformedLines);
    }

    [Fact]
    public void Open_Missing_ThrowsFileNotFound()
    {
        using var temp = new TempDir();
        Assert.Throws<FileNotFoundException>(() => ManifestReader.Open(temp.Sub("nope")));
    }

    [Theory]
    [InlineData("B3SUMS", 64, null, HashAlgorithmKind.Blake3, false)]
    [InlineData("XXH128SUMS", 32, null, HashAlgorithmKind.Xxh128, false)]
    [InlineData("checksums.txt", 64, null, HashAlgorithmKind.Sha256, true)]
    [InlineData("checksums.txt", 32, null, HashAlgorithmKind.Md5, true)]
    [InlineData("checksums.txt", 40, null, HashAlgorithmKind.Sha1, false)]
    [InlineData("checksums.txt", 64, HashAlgorithmKind.Blake3, HashAlgorithmKind.Blake3, false)]
    [InlineData("SHA256SUMS", 64, HashAlgorithmKind.Blake3, HashAlgorithmKind.Blake3, false)]
    public void Open_LookAlikeLengths_TheAskedForThenTheNamedAlgorithmWinsAndOnlyALengthIsAGuess(string name, int hexLength, HashAlgorithmKind? asked, HashAlgorithmKind algorithm, bool guessed)
    {
        using var temp = new TempDir();
        var path = temp.Write(name, new string('a', hexLength) + "  x\n");

        var sut = ManifestReader.Open(path, asked);

        Assert.Equal((algorithm, guessed), (sut.Algorithm, sut.AlgorithmGuessed));
        Assert.Equal("x", Assert.Single(sut.ReadEntries()).Path);
    }

    [Fact]
    public void Open_TaggedXxh128LinesUnderAnyName_AreXxh128AndAnotherTagIsMalformed()
    {
        using var temp = new TempDir();
        var hex = new string('c', 32);
        var path = temp.Write("checksums.txt", $"XXH128 (a b.txt) = {hex}\nMD5 (other) = {hex}\nXXH128 (c) = {hex}\n");

        var sut = ManifestReader.Open(path);
        var entries = sut.ReadEntries().ToList();

        Assert.Equal((HashAlgorithmKind.Xxh128, false), (sut.Algorithm, sut.AlgorithmGuessed));
        Assert.Equal(["a b.txt", "c"], entries.Select(e => e.Path));
        Assert.Equal(1, sut.MalformedLines);
    }
}
