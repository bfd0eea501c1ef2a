using Pipeline.Hashing;

namespace Pipeline.Tests.Hashing;

public sealed class Blake3HasherTests
{
    // The first 32 bytes of the "hash" outputs of BLAKE3's official test vectors (test_vectors/test_vectors.json in the
    // BLAKE3-team/BLAKE3 repository): each input is `input_len` bytes of 0, 1, ..., 250, 0, 1, ... Lengths on every side
    // of the block (64) and chunk (1024) boundaries, and trees of 2 to 100 chunks, balanced and not.
    public static TheoryData<int, string> OfficialVectors => new()
    {
        { 0, "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262" },
        { 1, "2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213" },
        { 1023, "10108970eeda3eb932baac1428c7a2163b0e924c9a9e25b35bba72b28f70bd11" },
        { 1024, "42214739f095a406f3fc83deb889744ac00df831c10daa55189b5d121c855af7" },
        { 1025, "d00278ae47eb27b34faecf67b4fe263f82d5412916c1ffd97c8cb7fb814b8444" },
        { 2048, "e776b6028c7cd22a4d0ba182a8bf62205d2ef576467e838ed6f2529b85fba24a" },
        { 2049, "5f4d72f40d7a5f82b15ca2b2e44b1de3c2ef86c426c95c1af0b6879522563030" },
        { 3072, "b98cb0ff3623be03326b373de6b9095218513e64f1ee2edd2525c7ad1e5cffd2" },
        { 3073, "7124b49501012f81cc7f11ca069ec9226cecb8a2c850cfe644e327d22d3e1cd3" },
        { 4096, "015094013f57a5277b59d8475c0501042c0b642e531b0a1c8f58d2163229e969" },
        { 4097, "9b4052b38f1c5fc8b1f9ff7ac7b27cd242487b3d890d15c96a1c25b8aa0fb995" },
        { 5120, "9cadc15fed8b5d854562b26a9536d9707cadeda9b143978f319ab34230535833" },
        { 5121, "628bd2cb2004694adaab7bbd778a25df25c47b9d4155a55f8fbd79f2fe154cff" },
        { 6144, "3e2e5b74e048f3add6d21faab3f83aa44d3b2278afb83b80b3c35164ebeca205" },
        { 6145, "f1323a8631446cc50536a9f705ee5cb619424d46887f3c376c695b70e0f0507f" },
        { 7168, "61da957ec2499a95d6b8023e2b0e604ec7f6b50e80a9678b89d2628e99ada77a" },
        { 7169, "a003fc7a51754a9b3c7fae0367ab3d782dccf28855a03d435f8cfe74605e7817" },
        { 8192, "aae792484c8efe4f19e2ca7d371d8c467ffb10748d8a5a1ae579948f718a2a63" },
        { 8193, "bab6c09cb8ce8cf459261398d2e7aef35700bf488116ceb94a36d0f5f1b7bc3b" },
        { 16384, "f875d6646de28985646f34ee13be9a576fd515f76b5b0a26bb324735041ddde4" },
        { 31744, "62b6960e1a44bcc1eb1a611a8d6235b6b4b78f32e7abc4fb4c6cdcce94895c47" },
        { 102400, "bc3e3d41a1146b069abffad3c0d44860cf664390afce4d9661f7902e7943e085" },
    };

    [Theory]
    [MemberData(nameof(OfficialVectors))]
    public void GetHashAndReset_OfficialVector_MatchesInOneAppend(int length, string expected)
    {
        var sut = new Blake3Hasher();

        sut.Append(VectorInput(length));

        Assert.Equal(expected, Digest(sut));
    }

    [Theory]
    [MemberData(nameof(OfficialVectors))]
    public void GetHashAndReset_OfficialVector_MatchesInPiecesOfEverySize(int length, string expected)
    {
        var input = VectorInput(length);
        var sut = new Blake3Hasher();
        foreach (var piece in new[] { 1, 63, 64, 65, 1000, 1024, 1025, 3000, 8192 })
        {
            for (var at = 0; at < input.Length; at += piece)
            {
                sut.Append(input.AsSpan(at, Math.Min(piece, input.Length - at)));
            }

            Assert.Equal(expected, Digest(sut));
        }
    }

    [Fact]
    public void GetHashAndReset_AfterADigest_StartsAFreshContent()
    {
        var sut = new Blake3Hasher();
        sut.Append(VectorInput(102400));
        _ = Digest(sut);

        sut.Append(VectorInput(1));

        Assert.Equal("2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213", Digest(sut));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100_000)]
    [InlineData(1 << 20)]
    [InlineData((5 << 20) + 777)]
    public void GetHashAndReset_RandomContent_MatchesTheBlake3Package(int length)
    {
        // A second, independent implementation for the larger trees the official vectors do not reach.
        var input = new byte[length];
        new Random(length).NextBytes(input);
        var sut = new Blake3Hasher();

        sut.Append(input);

        Assert.Equal(Convert.ToHexStringLower(Blake3.Hasher.Hash(input).AsSpan()), Digest(sut));
    }

    [Fact]
    public void GetHashAndReset_ShortDestination_Throws()
    {
        var sut = new Blake3Hasher();

        Assert.Throws<ArgumentOutOfRangeException>(() => sut.GetHashAndReset(new byte[31]));
    }

    [Fact]
    public void CompressChunks_FewerBytesThanTheChunksNamed_ThrowsBeforeReadingAnything()
    {
        var cvs = new uint[8 * Blake3Compression.Lanes];

        Assert.Throws<ArgumentOutOfRangeException>(() => Blake3Compression.CompressChunks(new byte[1024], 2, 0, cvs));
        Assert.Throws<ArgumentOutOfRangeException>(() => Blake3Compression.CompressChunks(new byte[1024 * (Blake3Compression.Lanes + 1)], Blake3Compression.Lanes + 1, 0, cvs));
    }

    private static byte[] VectorInput(int length)
    {
        var input = new byte[length];
        for (var i = 0; i < length; i++)
        {
            input[i] = (byte)(i % 251);
        }

        return input;
    }

    private static string Digest(Blake3Hasher sut)
    {
        var digest = new byte[Blake3Hasher.HashLength];
        sut.GetHashAndReset(digest);
        return Convert.ToHexStringLower(digest);
    }
}
