namespace Pipeline.Running;

/// <summary>A snapshot of a run in progress, reported through <see cref="IProgress{T}"/> as files finish.</summary>
/// <param name="FilesFound">Files found so far (grows while the walk goes on): the walk's, or, while the count the runners make
/// ahead of the work is further along, the count's.</param>
/// <param name="WalkCompleted">Whether the walk, or the count ahead of it, has ended, so <paramref name="FilesFound"/> is the total.</param>
/// <param name="FilesDone">Files finished, whatever their status.</param>
/// <param name="FilesFailed">Files that failed so far.</param>
/// <param name="BytesDone">Input bytes of the finished files.</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="LastResult">The result that caused this report; <see langword="null"/> for the periodic report a run makes while files are in flight.</param>
/// <param name="BytesFound">Total size of the files found (or counted) so far (the whole job's size once <paramref name="WalkCompleted"/>).</param>
/// <param name="BytesRead">Input bytes read so far, including parts of files still in flight: moves even while one large file is processed.</param>
/// <remarks>
/// A plain struct, not a record: a snapshot is read, never compared or taken apart, so the generated equality and
/// deconstruction would only be public surface. <c>with</c> still copies one with changes.
/// </remarks>
public readonly struct RunProgress(
    long FilesFound,
    bool WalkCompleted,
    long FilesDone,
    long FilesFailed,
    long BytesDone,
    TimeSpan Elapsed,
    FileResult? LastResult,
    long BytesFound = 0,
    long BytesRead = 0)
{
    /// <summary>Files found so far (grows while the walk goes on).</summary>
    public long FilesFound { get; } = FilesFound;

    /// <summary>Whether the walk, or the count ahead of it, has ended, so <see cref="FilesFound"/> is the total.</summary>
    public bool WalkCompleted { get; } = WalkCompleted;

    /// <summary>Files finished, whatever their status.</summary>
    public long FilesDone { get; } = FilesDone;

    /// <summary>Files that failed so far.</summary>
    public long FilesFailed { get; } = FilesFailed;

    /// <summary>Input bytes of the finished files.</summary>
    public long BytesDone { get; } = BytesDone;

    /// <summary>Time since the run started.</summary>
    public TimeSpan Elapsed { get; } = Elapsed;

    /// <summary>The result that caused this report; <see langword="null"/> for a periodic report.</summary>
    public FileResult? LastResult { get; } = LastResult;

    /// <summary>Total size of the files found (or counted) so far.</summary>
    public long BytesFound { get; } = BytesFound;

    /// <summary>Input bytes read so far, including parts of files still in flight.</summary>
    public long BytesRead { get; } = BytesRead;
}
