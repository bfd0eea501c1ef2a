using System.Text;
using Pipeline.Hashing;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Transforms;

namespace Pipeline.Verifying;

/// <summary>
/// The <c>verify</c> transform: the digest of each file, streamed, in the manifest's algorithm, with no output per
/// file. <see cref="ManifestVerifier"/> drives it and joins its digests with the manifest. Run by itself (a comparison of
/// the two runners, say), it writes one aggregate output, <see cref="VerdictsName"/>: a line <c>STATUS path</c> per
/// verdict from the manifest and the files that succeeded (a file that could not be read counts as missing there).
/// </summary>
public sealed class VerifyTransform : IFileTransform, IConcatenatedAggregates, IIndependentChunks
{
    /// <summary>Without verdicts it writes no aggregate output, so a run keeps none of its results for one.</summary>
    bool IConcatenatedAggregates.Concatenated => !WritesVerdicts;

    /// <summary>The name of the aggregate output: <c>verify.txt</c>.</summary>
    public const string VerdictsName = "verify.txt";

    private readonly HashTransform _hash;

    /// <summary>Creates the transform for a manifest; reads the manifest's start to learn its algorithm.</summary>
    /// <param name="manifestPath">A coreutils manifest (<c>SHA256SUMS</c>, ...), a <c>B3SUMS</c> or <c>XXH128SUMS</c>, or a <c>hashes.csv</c>.</param>
    /// <param name="algorithm">The manifest's algorithm; default: as <see cref="ManifestVerifier.VerifyAsync"/> decides it.</param>
    /// <exception cref="ArgumentException"><paramref name="manifestPath"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The manifest has no properly formatted line.</exception>
    /// <exception cref="IOException">The manifest cannot be read.</exception>
    public VerifyTransform(string manifestPath, HashAlgorithmKind? algorithm = null)
        : this(ManifestReader.Open(manifestPath, algorithm), writesVerdicts: true)
    {
    }

    internal VerifyTransform(ManifestReader manifest, bool writesVerdicts)
    {
        Manifest = manifest;
        WritesVerdicts = writesVerdicts;
        _hash = new HashTransform(manifest.Algorithm);
    }

    /// <summary>The manifest's absolute path.</summary>
    public string ManifestPath => Manifest.FullPath;

    /// <summary>The digest computed: the manifest's.</summary>
    public HashAlgorithmKind Algorithm => Manifest.Algorithm;

    /// <inheritdoc/>
    string IFileTransform.Name => "verify";

    /// <inheritdoc/>
    string IFileTransform.Fingerprint => $"verify:{Algorithm.ToString().ToLowerInvariant()}";

    internal ManifestReader Manifest { get; }

    internal bool WritesVerdicts { get; }

    /// <inheritdoc/>
    string? IFileTransform.GetOutputPath(string relativePath) => null;

    /// <inheritdoc/>
    IFileProcessor IFileTransform.CreateProcessor(SourceFile file) => ((IFileTransform)_hash).CreateProcessor(file);

    /// <inheritdoc/>
    /// <remarks>As hash does: a large BLAKE3 file is checked on every core, its subtrees hashed apart.</remarks>
    bool IIndependentChunks.Splits(int chunkSize, bool hasOutput) => ((IIndependentChunks)_hash).Splits(chunkSize, hasOutput);

    /// <inheritdoc/>
    int IIndependentChunks.HistoryLength => ((IIndependentChunks)_hash).HistoryLength;

    /// <inheritdoc/>
    IChunkProcessor IIndependentChunks.CreateChunkProcessor(SourceFile file) => ((IIndependentChunks)_hash).CreateChunkProcessor(file);

    /// <inheritdoc/>
    IReadOnlyList<AggregateOutput> IFileTransform.CreateAggregateOutputs(IReadOnlyList<FileResult> succeeded)
    {
        ArgumentNullException.ThrowIfNull(succeeded);
        if (!WritesVerdicts)
        {
            return [];
        }

        var entries = Manifest.ReadEntries().Select(e => new JoinRecord(e.Path, e.Digest, null, 0, e.Line)).Order(JoinRecord.Ordinal);
        var files = succeeded.Where(r => r.Artifact is byte[]).Select(r => new JoinRecord(r.RelativePath, (byte[])r.Artifact!, null, r.BytesIn, 0)).Order(JoinRecord.Ordinal);
        var text = new StringBuilder();
        foreach (var verdict in VerifyJoin.Join(entries, files))
        {
            var (path, escaped) = HashTransform.EscapeForSums(verdict.RelativePath);
            text.Append(escaped ? "\\" : string.Empty).Append(Word(verdict.Status)).Append("  ").Append(path);
            if (verdict.MovedFrom is { } from)
            {
                text.Append(" <- ").Append(HashTransform.EscapeForSums(from).Path);
            }

            text.Append('\n');
        }

        return [new AggregateOutput(VerdictsName, Encoding.UTF8.GetBytes(text.ToString()))];
    }

    /// <summary>The word a verdict is shown as: <c>OK</c>, <c>FAILED</c>, <c>MISSING</c>, <c>UNREADABLE</c>, <c>NEW</c>, <c>MOVED</c>.</summary>
    internal static string Word(VerifyStatus status) => status.ToString().ToUpperInvariant();
}
