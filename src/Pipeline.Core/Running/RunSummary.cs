using Pipeline.Running.Engine;

namespace Pipeline.Running;

/// <summary>
/// The outcome of a whole run: what <see cref="DataflowRunner.RunAsync"/> and <see cref="SequentialRunner.RunAsync"/> return,
/// or what <see cref="FromResults"/> builds from the results of the pipeline's block (<see cref="DataflowRunner.CreateBlock"/>).
/// </summary>
public sealed class RunSummary
{
    internal RunSummary(IReadOnlyList<FileResult> results, TimeSpan elapsed, bool cancelled)
        : this(Tally(results), results, elapsed, cancelled)
    {
    }

    /// <summary>A run's summary from its tally; <paramref name="results"/> only when the run kept them (<see cref="PipelineOptions.KeepResults"/>).</summary>
    internal RunSummary(RunTally tally, IReadOnlyList<FileResult>? results, TimeSpan elapsed, bool cancelled)
    {
        Results = results ?? [];
        Failures = tally.Failures;
        Elapsed = elapsed;
        Cancelled = cancelled;
        FilesSucceeded = tally.Succeeded;
        FilesFailed = tally.Failed;
        FilesSkipped = tally.Skipped;
        FilesCancelled = tally.Cancelled;
        BytesIn = tally.BytesIn;
        BytesOut = tally.BytesOut;
    }

    /// <summary>
    /// Builds the summary of a run whose results someone else collected, such as those a block made by
    /// <see cref="DataflowRunner.CreateBlock"/> produced, whose rows <see cref="Reporting.RunReport"/> wrote as they came.
    /// The counters are computed from <paramref name="results"/>; <see cref="StoppedByErrorLimit"/>,
    /// <see cref="TempFilesRemoved"/> and <see cref="PeakBufferedBytes"/> are 0 or false: only a run knows them.
    /// </summary>
    /// <param name="results">Every file's result, in any order; they are copied and sorted by ordinal relative path.</param>
    /// <param name="elapsed">Wall-clock time of the run; zero or more.</param>
    /// <param name="cancelled">Whether the run was cancelled before every file was processed. Default: <see langword="false"/>.</param>
    /// <returns>A new summary; later changes to <paramref name="results"/> do not reach it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="results"/> is null or holds a null result.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="elapsed"/> is negative.</exception>
    public static RunSummary FromResults(IEnumerable<FileResult> results, TimeSpan elapsed, bool cancelled = false)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentOutOfRangeException.ThrowIfLessThan(elapsed, TimeSpan.Zero);
        var list = results.ToList();
        if (list.Contains(null!))
        {
            throw new ArgumentNullException(nameof(results), "A result is null.");
        }

        // Stable, so results that share a path (which a run never produces) keep the caller's order.
        return new RunSummary([.. list.Order(ResultOrder.Instance)], elapsed, cancelled);
    }

    /// <summary>
    /// Every file's result, sorted by ordinal relative path — if the run kept them (<see cref="PipelineOptions.KeepResults"/>,
    /// the default); empty otherwise. A run of millions of files takes them as they come from <see cref="PipelineOptions.Results"/> instead.
    /// </summary>
    public IReadOnlyList<FileResult> Results { get; }

    /// <summary>The first <c>100</c> failed files' results, in ordinal order of relative paths (all of them are counted in <see cref="FilesFailed"/>).</summary>
    public IReadOnlyList<FileResult> Failures { get; }

    /// <summary>Files processed successfully.</summary>
    public int FilesSucceeded { get; }

    /// <summary>Files that failed.</summary>
    public int FilesFailed { get; }

    /// <summary>Files skipped because the journal says an earlier run did them (resume).</summary>
    public int FilesSkipped { get; }

    /// <summary>Whether the run stopped taking files because <see cref="PipelineOptions.MaxErrors"/> files failed.</summary>
    public bool StoppedByErrorLimit { get; internal init; }

    /// <summary>Temporary files of an earlier, crashed run removed before this one started.</summary>
    public int TempFilesRemoved { get; internal init; }

    /// <summary>
    /// Symbolic links the walk left out because <see cref="Sources.FileSelection.FollowSymlinks"/> was off: links to files
    /// the patterns take, and links to folders that could hold such files. 0 when links were followed, and for a
    /// summary built by <see cref="FromResults"/> (only a run's walk knows them).
    /// </summary>
    public int SymbolicLinksNotFollowed { get; internal init; }

    /// <summary>Files not processed because the run was cancelled.</summary>
    public int FilesCancelled { get; }

    /// <summary>Input bytes of the successful files.</summary>
    public long BytesIn { get; }

    /// <summary>Output bytes written for the successful files (aggregate outputs not counted).</summary>
    public long BytesOut { get; }

    /// <summary>Wall-clock time of the run.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>
    /// Most bytes of file data the pipeline held at once (input buffers, read-ahead chunks, output buffers), by its
    /// own accounting against <see cref="PipelineOptions.MemoryBudget"/>; 0 for the sequential runner.
    /// </summary>
    public long PeakBufferedBytes { get; internal init; }

    /// <summary>Whether the run was cancelled before every file was processed.</summary>
    public bool Cancelled { get; }

    /// <summary>Successful files per second of wall-clock time.</summary>
    public double FilesPerSecond => Elapsed > TimeSpan.Zero ? FilesSucceeded / Elapsed.TotalSeconds : 0;

    /// <summary>Input megabytes (10^6 bytes) of the successful files per second of wall-clock time.</summary>
    public double MegabytesPerSecond => Elapsed > TimeSpan.Zero ? BytesIn / 1e6 / Elapsed.TotalSeconds : 0;

    private static RunTally Tally(IReadOnlyList<FileResult> results)
    {
        var tally = new RunTally();
        foreach (var result in results)
        {
            tally.Add(result);
        }

        return tally;
    }
}
