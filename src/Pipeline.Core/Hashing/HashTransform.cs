using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using Pipeline.Csv;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Transforms;

namespace Pipeline.Hashing;

/// <summary>
/// Computes a digest of each file, streamed, and writes one manifest at the output root, sorted by
/// ordinal relative path: <c>SHA256SUMS</c> (or the algorithm's own name) in the exact coreutils format,
/// or <c>hashes.csv</c>. Writes no file per input.
/// </summary>
public sealed class HashTransform : IFileTransform, IArtifactCodec, IConcatenatedAggregates, IIndependentChunks
{
    /// <summary>The name of the CSV manifest.</summary>
    internal const string CsvManifestName = "hashes.csv";

    // Digest contexts are reusable after GetHashAndReset; pooling them saves creating a native (or, for BLAKE3, a
    // large managed) context per file, which shows on trees of many small files.
    private readonly ConcurrentBag<StreamingDigest> _pool = [];

    /// <summary>Creates the transform.</summary>
    /// <param name="algorithm">The digest. Default: SHA-256.</param>
    /// <param name="format">The manifest format. Default: coreutils sums.</param>
    /// <exception cref="ArgumentOutOfRangeException">An undefined enum value.</exception>
    public HashTransform(HashAlgorithmKind algorithm = HashAlgorithmKind.Sha256, HashManifestFormat format = HashManifestFormat.Sums)
    {
        if (!Enum.IsDefined(algorithm))
        {
            throw new ArgumentOutOfRangeException(nameof(algorithm));
        }

        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format));
        }

        Algorithm = algorithm;
        Format = format;
    }

    /// <summary>The digest computed.</summary>
    public HashAlgorithmKind Algorithm { get; }

    /// <summary>The manifest format.</summary>
    public HashManifestFormat Format { get; }

    /// <inheritdoc/>
    string IFileTransform.Name => "hash";

    /// <inheritdoc/>
    string IFileTransform.Fingerprint => $"hash:{Algorithm.ToString().ToLowerInvariant()}:{Format.ToString().ToLowerInvariant()}";

    /// <summary>The manifest's file name: <c>SHA256SUMS</c>, <c>SHA1SUMS</c>, ..., <c>B3SUMS</c>, <c>XXH128SUMS</c>, or <c>hashes.csv</c>.</summary>
    public string ManifestName => Format == HashManifestFormat.Csv ? CsvManifestName : SumsFileName(Algorithm);

    /// <summary>The manifest name for an algorithm as its tool's users name it: <c>SHA256SUMS</c>, ..., <c>B3SUMS</c>, <c>XXH128SUMS</c>.</summary>
    public static string SumsFileName(HashAlgorithmKind algorithm) => algorithm switch
    {
        HashAlgorithmKind.Blake3 => "B3SUMS",
        _ => algorithm.ToString().ToUpperInvariant() + "SUMS",
    };

    /// <summary>Escapes a path the way <c>sha256sum</c> does: with a backslash, LF or CR in it, the line starts with <c>\</c>.</summary>
    /// <returns>The escaped path and whether the line needs the leading backslash.</returns>
    internal static (string Path, bool Escaped) EscapeForSums(string relativePath) => EscapeForSums(relativePath, HashAlgorithmKind.Sha256);

    /// <summary>Escapes a path the way the tool of <paramref name="algorithm"/> writes it, so that its manifest is byte for byte the tool's.</summary>
    /// <remarks>
    /// Checked against the tools themselves (tests/Pipeline.Tests/Hashing/PeerToolTests.cs). coreutils (<c>sha256sum</c>, ...)
    /// escapes a name holding a backslash, LF or CR. <c>b3sum</c> (1.2) escapes backslash and LF only, and writes a CR as
    /// it is (its check rejects <c>\r</c>). <c>xxh128sum</c> 0.8.1 escapes nothing, and its check reads no escaped line,
    /// so a name is written as it is, which both it and later versions check; only a name holding an LF, which 0.8.1
    /// writes across two lines that no check can read, is escaped as xxhsum 0.8.2 and later escape it (backslash, LF, CR).
    /// </remarks>
    internal static (string Path, bool Escaped) EscapeForSums(string relativePath, HashAlgorithmKind algorithm)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var needs = algorithm switch
        {
            HashAlgorithmKind.Blake3 => relativePath.AsSpan().IndexOfAny('\\', '\n') >= 0,
            HashAlgorithmKind.Xxh128 => relativePath.Contains('\n', StringComparison.Ordinal),
            _ => relativePath.AsSpan().IndexOfAny('\\', '\n', '\r') >= 0,
        };
        if (!needs)
        {
            return (relativePath, false);
        }

        var escaped = relativePath.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        return (algorithm == HashAlgorithmKind.Blake3 ? escaped : escaped.Replace("\r", "\\r", StringComparison.Ordinal), true);
    }

    /// <inheritdoc/>
    string? IFileTransform.GetOutputPath(string relativePath) => null;

    /// <inheritdoc/>
    string? IArtifactCodec.Encode(object? artifact) => artifact is byte[] digest ? Convert.ToHexStringLower(digest) : null;

    /// <inheritdoc/>
    /// <remarks>
    /// Only what <see cref="IArtifactCodec.Encode"/> writes is taken back: the algorithm's number of lower-case hex digits. A journal
    /// is read from disk, where anyone may have edited it; a digest that is not one would go into the manifest as if
    /// the file had been hashed, so the file is hashed again instead.
    /// </remarks>
    object? IArtifactCodec.Decode(string? text) =>
        text is null ? null
        : text.Length == Verifying.ManifestLine.HexLength(Algorithm) && text.All(char.IsAsciiHexDigitLower) ? Convert.FromHexString(text)
        : throw new FormatException($"not a {Algorithm} digest as the journal holds one: {text.Length} characters, {Verifying.ManifestLine.HexLength(Algorithm)} lower-case hex digits expected");

    /// <inheritdoc/>
    IFileProcessor IFileTransform.CreateProcessor(SourceFile file) => new Processor(this, Rent());

    /// <inheritdoc/>
    /// <remarks>BLAKE3 only: its tree lets one large file be hashed on every core. SHA and XXH128 are one chain of blocks.</remarks>
    bool IIndependentChunks.Splits(int chunkSize, bool hasOutput) => Algorithm == HashAlgorithmKind.Blake3 && Blake3Subtrees.Fits(chunkSize);

    /// <inheritdoc/>
    int IIndependentChunks.HistoryLength => 0;

    /// <inheritdoc/>
    IChunkProcessor IIndependentChunks.CreateChunkProcessor(SourceFile file) => new Blake3Subtrees();

    /// <inheritdoc/>
    IReadOnlyList<AggregateOutput> IFileTransform.CreateAggregateOutputs(IReadOnlyList<FileResult> succeeded)
    {
        ArgumentNullException.ThrowIfNull(succeeded);
        var content = Format == HashManifestFormat.Csv ? CsvManifest(succeeded) : SumsManifest(succeeded, Algorithm);
        return [new AggregateOutput(ManifestName, content)];
    }

    private static byte[] SumsManifest(IReadOnlyList<FileResult> results, HashAlgorithmKind algorithm)
    {
        var text = new StringBuilder(results.Count * 100);
        foreach (var r in results)
        {
            var (path, escaped) = EscapeForSums(r.RelativePath, algorithm);
            if (escaped)
            {
                text.Append('\\');
            }

            text.Append(Convert.ToHexStringLower(Digest(r))).Append("  ").Append(path).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static byte[] CsvManifest(IReadOnlyList<FileResult> results)
    {
        using var rows = new CsvRows("path,size,hash");
        foreach (var r in results)
        {
            rows.Field(r.RelativePath).Field(r.BytesIn).Field(Convert.ToHexStringLower(Digest(r))).EndRow();
        }

        return rows.TakeOut();
    }

    private static byte[] Digest(FileResult result) =>
        result.Artifact as byte[] ?? throw new InvalidOperationException($"no digest recorded for {result.RelativePath}");

    private StreamingDigest Rent() => _pool.TryTake(out var hash) ? hash : StreamingDigest.Create(Algorithm);

    private sealed class Processor(HashTransform owner, StreamingDigest hash) : IFileProcessor
    {
        private StreamingDigest? _hash = hash;
        private bool _completed;

        public void Append(ReadOnlySpan<byte> chunk, IBufferWriter<byte> output)
        {
            ObjectDisposedException.ThrowIf(_hash is null, this);
            _hash.Append(chunk);
        }

        public object? Complete(IBufferWriter<byte> output)
        {
            ObjectDisposedException.ThrowIf(_hash is null, this);
            _completed = true;
            return _hash.GetHashAndReset();
        }

        public void Dispose()
        {
            if (_hash is { } h)
            {
                if (!_completed)
                {
                    // Reset so that a file abandoned half way leaves no state for the next one.
                    h.GetHashAndReset();
                }

                owner._pool.Add(h);
                _hash = null;
            }
        }
    }
}
