using Pipeline.Compression;
using Pipeline.Hashing;

namespace Pipeline.Transforms;

/// <summary>
/// Which library does the built-in transforms' work on this machine: gzip's differs between machines (libdeflate where
/// it is installed, the runtime's zlib-ng elsewhere), and SHA and MD5 are the operating system's. A figure measured or an
/// output made with one engine says nothing about another, so a program's version or diagnostics output names them
/// (the command line's <c>--version</c> prints these lines).
/// </summary>
public static class Engines
{
    /// <summary>
    /// One line per transform or group of transforms that share an engine, such as
    /// <c>gzip: libdeflate (libdeflate.so.0, loaded at run time)</c> or <c>hash: sha256, ... by OpenSSL; blake3 by ...</c>.
    /// </summary>
    /// <returns>The lines, in the order gzip, gunzip, zstd and unzstd, hash; each starts with the transforms' names and <c>": "</c>.</returns>
    public static IReadOnlyList<string> Describe()
    {
        var gzip = Libdeflate.IsAvailable
            ? $"gzip: libdeflate ({Libdeflate.LibraryName}, loaded at run time)"
            : "gzip: zlib-ng (the runtime's; libdeflate not found)";
        var hashes = Enum.GetValues<HashAlgorithmKind>()
            .GroupBy(StreamingDigest.EngineOf)
            .Select(engine => $"{string.Join(", ", engine.Select(a => a.ToString().ToLowerInvariant()))} by {engine.Key}");
        return
        [
            gzip,
            "gunzip: zlib-ng (the runtime's)",
            $"zstd, unzstd: {ZstdTransform.Engine} (managed)",
            $"hash: {string.Join("; ", hashes)}",
        ];
    }
}
