namespace Pipeline.Hashing;

/// <summary>The digests the <c>hash</c> transform computes.</summary>
public enum HashAlgorithmKind
{
    /// <summary>SHA-256 (the default); manifest <c>SHA256SUMS</c>.</summary>
    Sha256,

    /// <summary>SHA-1; manifest <c>SHA1SUMS</c>.</summary>
    Sha1,

    /// <summary>SHA-384; manifest <c>SHA384SUMS</c>.</summary>
    Sha384,

    /// <summary>SHA-512; manifest <c>SHA512SUMS</c>.</summary>
    Sha512,

    /// <summary>MD5; manifest <c>MD5SUMS</c>.</summary>
    Md5,

    /// <summary>BLAKE3 (256-bit output, as <c>b3sum</c> prints it); manifest <c>B3SUMS</c>.</summary>
    Blake3,

    /// <summary>XXH3's 128-bit hash (as <c>xxh128sum</c> prints it); manifest <c>XXH128SUMS</c>. Fast, but not cryptographic.</summary>
    Xxh128,
}
