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
}
