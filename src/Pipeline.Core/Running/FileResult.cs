namespace Pipeline.Running;

/// <summary>The outcome for one file of a run.</summary>
public sealed class FileResult
{
    /// <summary>Creates the result of one file.</summary>
    /// <param name="relativePath">Input path relative to the input root, with <c>/</c> separators.</param>
    /// <param name="status">What happened.</param>
    /// <param name="bytesIn">Bytes read from the input.</param>
    /// <param name="bytesOut">Bytes written for this file.</param>
    /// <param name="elapsed">Time from the start of reading to the end of writing.</param>
    /// <param name="error">Why the file failed, as one line; <see langword="null"/> unless it failed.</param>
    /// <param name="artifact">What the transform returned for the file.</param>
    /// <exception cref="ArgumentNullException"><paramref name="relativePath"/> is null.</exception>
    public FileResult(string relativePath, FileStatus status, long bytesIn, long bytesOut, TimeSpan elapsed, string? error = null, object? artifact = null)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        RelativePath = relativePath;
        Status = status;
        BytesIn = bytesIn;
        BytesOut = bytesOut;
        Elapsed = elapsed;
        Error = error;
        Artifact = artifact;
        ErrorKind = status switch
        {
            FileStatus.Failed => FileErrorKind.Other, // a result made by hand says nothing more of its cause
            FileStatus.Cancelled => FileErrorKind.Cancelled,
            _ => FileErrorKind.None,
        };
    }

    /// <summary>Input path relative to the input root, with <c>/</c> separators.</summary>
    public string RelativePath { get; }

    /// <summary>What happened.</summary>
    public FileStatus Status { get; }

    /// <summary>Bytes read from the input.</summary>
    public long BytesIn { get; }

    /// <summary>Bytes written for this file (0 for transforms that write only aggregate outputs).</summary>
    public long BytesOut { get; }

    /// <summary>Time from the start of reading to the end of writing.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Why the file failed, as one line made from <see cref="ErrorKind"/> and <see cref="Exception"/>; <see langword="null"/> unless <see cref="Status"/> is <see cref="FileStatus.Failed"/>.</summary>
    public string? Error { get; }

    /// <summary>What the transform returned for the file (a digest, say).</summary>
    public object? Artifact { get; }

    /// <summary>Size of the input when the source found it.</summary>
    public long Length { get; internal init; }

    /// <summary>Last write time of the input when the source found it (with <see cref="Length"/>, the journal's key).</summary>
    public DateTime LastWriteTimeUtc { get; internal init; }

    /// <summary>
    /// What kind of failure ended the file, to switch on: <see cref="FileErrorKind.None"/> for a file that succeeded or
    /// was skipped, <see cref="FileErrorKind.Cancelled"/> for one cancelled, another kind for one that failed (a run's
    /// results always say which; a failed result made with the constructor is <see cref="FileErrorKind.Other"/>).
    /// </summary>
    public FileErrorKind ErrorKind { get; internal init; }

    /// <summary>
    /// The exception that failed the file, kept as it was thrown (an <see cref="IOException"/> with the system's error
    /// number, a transform's own exception, ...); <see langword="null"/> for a file that did not fail.
    /// </summary>
    public Exception? Exception { get; internal init; }

    /// <summary>The place of its file in the walk (see <see cref="Sources.SourceFile.Sequence"/>); -1 when the file did not come from a run's walk.</summary>
    internal long Sequence { get; set; } = -1;

    internal static FileResult Cancelled(Sources.SourceFile file) =>
        new(file.RelativePath, FileStatus.Cancelled, 0, 0, TimeSpan.Zero) { Length = file.Length, LastWriteTimeUtc = file.LastWriteTimeUtc, ErrorKind = FileErrorKind.Cancelled };

    internal static FileResult Failed(Sources.SourceFile file, FileErrorKind kind, string reason, Exception cause, long started) =>
        new(file.RelativePath, FileStatus.Failed, 0, 0, System.Diagnostics.Stopwatch.GetElapsedTime(started), reason)
        {
            Length = file.Length,
            LastWriteTimeUtc = file.LastWriteTimeUtc,
            ErrorKind = kind,
            Exception = cause,
        };
}
