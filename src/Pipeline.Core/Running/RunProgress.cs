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
public readonly record struct RunProgress(
    long FilesFound,
    bool WalkCompleted,
    long FilesDone,
    long FilesFailed,
    long BytesDone,
    TimeSpan Elapsed,
    FileResult? LastResult,
    long BytesFound = 0,
    long BytesRead = 0);
