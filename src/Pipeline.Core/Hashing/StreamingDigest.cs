using System.IO.Hashing;
using System.Security.Cryptography;

namespace Pipeline.Hashing;

/// <summary>
/// One reusable digest context, whatever computes it: the platform's <see cref="IncrementalHash"/> for SHA and MD5, our
/// own <see cref="Blake3Hasher"/> for BLAKE3, <see cref="XxHash128"/> for XXH128. Managed only for the last two: on the
/// 2-core box of docs/benchmarks-hashing.md, Debian's libxxhash was no faster than <see cref="XxHash128"/> (half its speed
/// on large buffers), so no native library is loaded for it.
/// </summary>
internal abstract class StreamingDigest : IDisposable
{
    /// <summary>A fresh context for <paramref name="algorithm"/>.</summary>
    public static StreamingDigest Create(HashAlgorithmKind algorithm) => algorithm switch
    {
        HashAlgorithmKind.Blake3 => new Blake3Digest(),
        HashAlgorithmKind.Xxh128 => new Xxh128Digest(),
        HashAlgorithmKind.Sha1 => new PlatformDigest(HashAlgorithmName.SHA1),
        HashAlgorithmKind.Sha384 => new PlatformDigest(HashAlgorithmName.SHA384),
        HashAlgorithmKind.Sha512 => new PlatformDigest(HashAlgorithmName.SHA512),
        HashAlgorithmKind.Md5 => new PlatformDigest(HashAlgorithmName.MD5),
        HashAlgorithmKind.Sha256 => new PlatformDigest(HashAlgorithmName.SHA256),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>What computes <paramref name="algorithm"/> here, as <c>pipeline --version</c> names it.</summary>
    public static string EngineOf(HashAlgorithmKind algorithm) => algorithm switch
    {
        HashAlgorithmKind.Blake3 => "Pipeline (managed, SIMD)",
        HashAlgorithmKind.Xxh128 => "System.IO.Hashing (managed)",
        _ when !Enum.IsDefined(algorithm) => throw new ArgumentOutOfRangeException(nameof(algorithm)),

        // IncrementalHash hands SHA and MD5 to the operating system's library.
        _ when OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD() => "OpenSSL",
        _ when OperatingSystem.IsWindows() => "Windows CNG",
        _ when OperatingSystem.IsMacOS() => "Apple's CommonCrypto",
        _ => "the platform's cryptography",
    };

    /// <summary>Adds the next bytes of the content.</summary>
    public abstract void Append(ReadOnlySpan<byte> data);

    /// <summary>The digest of everything appended since the last reset, in the byte order its tool prints; then resets.</summary>
    public abstract byte[] GetHashAndReset();

    /// <inheritdoc/>
    public abstract void Dispose();

    private sealed class PlatformDigest(HashAlgorithmName name) : StreamingDigest
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(name);

        public override void Append(ReadOnlySpan<byte> data) => _hash.AppendData(data);

        public override byte[] GetHashAndReset() => _hash.GetHashAndReset();

        public override void Dispose() => _hash.Dispose();
    }

    /// <summary>BLAKE3 with its default 32-byte output, as <c>b3sum</c> prints it.</summary>
    private sealed class Blake3Digest : StreamingDigest
    {
        // One file on one core: the pipeline already fills the cores with files (docs/benchmarks-hashing.md).
        private readonly Blake3Hasher _hasher = new();

        public override void Append(ReadOnlySpan<byte> data) => _hasher.Append(data);

        public override byte[] GetHashAndReset()
        {
            var digest = new byte[Blake3Hasher.HashLength];
            _hasher.GetHashAndReset(digest);
            return digest;
        }

        public override void Dispose()
        {
        }
    }

    /// <summary>XXH3's 128-bit hash, big-endian (its canonical form), as <c>xxh128sum</c> prints it.</summary>
    private sealed class Xxh128Digest : StreamingDigest
    {
        private readonly XxHash128 _hash = new();

        public override void Append(ReadOnlySpan<byte> data) => _hash.Append(data);

        public override byte[] GetHashAndReset() => _hash.GetHashAndReset();

        public override void Dispose()
        {
        }
    }
}
