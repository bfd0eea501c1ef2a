using Pipeline.Hashing;
using Pipeline.Transforms;

namespace Pipeline.Tests.Hashing;

/// <summary>The parts of <see cref="HashTransform"/> that differ by algorithm: manifest names, escaping, the journal's digests.</summary>
public sealed class HashTransformTests
{
    [Theory]
    [InlineData(HashAlgorithmKind.Blake3, "B3SUMS")]
    [InlineData(HashAlgorithmKind.Xxh128, "XXH128SUMS")]
    [InlineData(HashAlgorithmKind.Sha256, "SHA256SUMS")]
    public void ManifestName_Sums_IsThePeerToolsUsualName(HashAlgorithmKind algorithm, string name) =>
        Assert.Equal(name, new HashTransform(algorithm).ManifestName);

    [Theory]
    [InlineData(HashAlgorithmKind.Sha256, "a\\b", true, "a\\\\b")]
    [InlineData(HashAlgorithmKind.Sha256, "a\rb", true, "a\\rb")]
    [InlineData(HashAlgorithmKind.Blake3, "a\\b", true, "a\\\\b")]
    [InlineData(HashAlgorithmKind.Blake3, "a\nb", true, "a\\nb")]
    [InlineData(HashAlgorithmKind.Blake3, "a\rb", false, "a\rb")]
    [InlineData(HashAlgorithmKind.Blake3, "a\\b\rc", true, "a\\\\b\rc")]
    [InlineData(HashAlgorithmKind.Xxh128, "a\\b", false, "a\\b")]
    [InlineData(HashAlgorithmKind.Xxh128, "a\rb", false, "a\rb")]
    [InlineData(HashAlgorithmKind.Xxh128, "a\\b\nc\rd", true, "a\\\\b\\nc\\rd")]
    public void EscapeForSums_OddName_EscapesItAsTheAlgorithmsToolDoes(HashAlgorithmKind algorithm, string name, bool escaped, string written) =>
        Assert.Equal((written, escaped), HashTransform.EscapeForSums(name, algorithm));

    [Theory]
    [InlineData(HashAlgorithmKind.Blake3, 32)]
    [InlineData(HashAlgorithmKind.Xxh128, 16)]
    public void Decode_WhatEncodeWrote_GivesTheDigestBack(HashAlgorithmKind algorithm, int bytes)
    {
        IArtifactCodec sut = new HashTransform(algorithm);
        var digest = Enumerable.Range(1, bytes).Select(i => (byte)(i * 7)).ToArray();

        Assert.Equal(digest, sut.Decode(sut.Encode(digest)));
    }

    [Theory]
    [InlineData(HashAlgorithmKind.Blake3, 32)] // an XXH128 or MD5 digest's length
    [InlineData(HashAlgorithmKind.Blake3, 128)]
    [InlineData(HashAlgorithmKind.Xxh128, 64)] // a BLAKE3 or SHA-256 digest's length
    [InlineData(HashAlgorithmKind.Xxh128, 40)]
    public void Decode_DigestOfAnotherLength_ThrowsSoTheFileIsHashedAgain(HashAlgorithmKind algorithm, int hexDigits)
    {
        IArtifactCodec sut = new HashTransform(algorithm);

        var ex = Assert.Throws<FormatException>(() => sut.Decode(new string('a', hexDigits)));

        Assert.Contains($"not a {algorithm} digest", ex.Message, StringComparison.Ordinal);
    }
}
