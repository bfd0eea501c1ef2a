namespace Pipeline.Running;

/// <summary>The outcome for one file of a run.</summary>
/// <param name="RelativePath">Input path relative to the input root, with <c>/</c> separators.</param>
/// <param name="Status">What happened.</param>
/// <param name="BytesIn">Bytes read from the input.</param>
/// <param name="BytesOut">Bytes written for this file (0 for transforms that write only aggregate outputs).</param>
/// <param name="Elapsed">Time from the start of reading to the end of writing.</param>
/// <param name="Error">Why the file failed, as one line; <see langword="null"/> unless <see cref="Status"/> is <see cref="FileStatus.Failed"/>.</param>
/// <param name="Artifact">What the transform returned for the file (a digest, say).</param>
public sealed record FileResult(
    string RelativePath,
    FileStatus Status,
    long BytesIn,
    long BytesOut,
    TimeSpan Elapsed,
    string? Error = null,
    object? Artifact = null)
{
    /// <summary>Size of the input when the source found it.</summary>
    public long Length { get; init; }

    /// <summary>Last write time of the input when the source found it (with <see cref="Length"/>, the journal's key).</summary>
    public DateTime LastWriteTimeUtc { get; init; }

    /// <summary>The place of its file in the walk (see <see cref="Sources.SourceFile.Sequence"/>); -1 when the file did not come from a run's walk.</summary>
    internal long Sequence { get; set; } = -1;

    internal static FileResult Cancelled(Sources.SourceFile file) =>
        new(file.RelativePath, FileStatus.Cancelled, 0, 0, TimeSpan.Zero) { Length = file.Length, LastWriteTimeUtc = file.LastWriteTimeUtc };

    internal static FileResult Failed(Sources.SourceFile file, string reason, long started) =>
        new(file.RelativePath, FileStatus.Failed, 0, 0, System.Diagnostics.Stopwatch.GetElapsedTime(started), reason) { Length = file.Length, LastWriteTimeUtc = file.LastWriteTimeUtc };
}
