using Pipeline.Hashing;

namespace Pipeline.Verifying;

/// <summary>
/// The counts of one verification (what <see cref="ManifestVerifier.VerifyAsync"/> returns). Each path's verdict is
/// reported as it is decided, not kept here, so memory does not grow with the size of the tree or of the manifest.
/// </summary>
public sealed class VerifySummary
{
    internal VerifySummary()
    {
    }

    /// <summary>The digest the manifest holds, from its name or the length of its digests.</summary>
    public HashAlgorithmKind Algorithm { get; internal init; }

    /// <summary>Whether <see cref="Algorithm"/> was taken from a digest length another algorithm shares, nothing else saying which.</summary>
    internal bool AlgorithmGuessed { get; init; }

    /// <summary>
    /// When <see cref="Algorithm"/> was taken from the length of the manifest's digests, nothing else saying which: the
    /// other algorithm whose digests are as long (BLAKE3 for SHA-256, XXH128 for MD5, and the other way round). If the
    /// manifest holds those, failures are the guess's: verify again naming it. <see langword="null"/> when the manifest's
    /// name or lines said the algorithm, or the caller gave it.
    /// </summary>
    public HashAlgorithmKind? LookAlikeAlgorithm => AlgorithmGuessed ? ManifestLine.LookAlike(Algorithm) : null;

    /// <summary>Valid lines (entries) of the manifest, including those outside the selection.</summary>
    public long ManifestEntries { get; internal init; }

    /// <summary>Lines of the manifest that are not properly formatted (counted and skipped, as <c>sha256sum -c</c> does; comments are not counted).</summary>
    public long MalformedLines { get; internal init; }

    /// <summary>Files whose digest matched.</summary>
    public long Ok { get; internal set; }

    /// <summary>Files whose digest differs.</summary>
    public long Failed { get; internal set; }

    /// <summary>Listed files not found.</summary>
    public long Missing { get; internal set; }

    /// <summary>Listed files that could not be read.</summary>
    public long Unreadable { get; internal set; }

    /// <summary>Files not listed.</summary>
    public long New { get; internal set; }

    /// <summary>Files not listed whose digest is that of a missing listed file.</summary>
    public long Moved { get; internal set; }

    /// <summary>
    /// Symbolic links the walk left out because <see cref="Sources.FileSelection.FollowSymlinks"/> was off (a listed file
    /// reached only through one is then MISSING); 0 when links were followed.
    /// </summary>
    public int SymbolicLinksNotFollowed { get; internal set; }

    /// <summary>Bytes read and hashed.</summary>
    public long BytesRead { get; internal set; }

    /// <summary>Wall-clock time, from the first read of the manifest to the last verdict.</summary>
    public TimeSpan Elapsed { get; internal set; }

    /// <summary>Whether the run was cancelled; then only the files already hashed have a verdict (no MISSING, NEW or MOVED: what was not read cannot be called missing).</summary>
    public bool Cancelled { get; internal set; }

    internal void Count(VerifyStatus status)
    {
        switch (status)
        {
            case VerifyStatus.Ok: Ok++; break;
            case VerifyStatus.Failed: Failed++; break;
            case VerifyStatus.Missing: Missing++; break;
            case VerifyStatus.Unreadable: Unreadable++; break;
            case VerifyStatus.New: New++; break;
            default: Moved++; break;
        }
    }
}
