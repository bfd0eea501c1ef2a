using Pipeline.Running.Engine;
using Pipeline.Sources;
using Pipeline.Transforms;

namespace Pipeline.Running;

/// <summary>
/// The baseline: the same steps of each file's life as <see cref="DataflowRunner"/> (one life per file: same reads,
/// same retries on the same clock, same outputs), but one file after another, with no read-ahead and synchronous
/// writes, on the calling thread. A comparison of the two measures scheduling and overlap, not two algorithms.
/// </summary>
public static class SequentialRunner
{
    /// <summary>Runs <paramref name="transform"/> over the selected files, one after another.</summary>
    /// <param name="transform">What to do to each file.</param>
    /// <param name="options">What to read, where to write.</param>
    /// <param name="progress">Told as each file finishes, on the running thread. When given, the selection is also counted
    /// (names and sizes) ahead of the work on a thread of its own, so that <see cref="RunProgress.WalkCompleted"/> and the totals come early. Default: none.</param>
    /// <param name="cancellationToken">Stops after the file in progress, which is abandoned without partial output; no aggregate output is written.</param>
    /// <returns>The summary; <see cref="RunSummary.Cancelled"/> is set if <paramref name="cancellationToken"/> stopped it.</returns>
    /// <exception cref="PipelineOptionsException">The options are invalid, or <see cref="PipelineOptions.Shard"/> is set for a transform whose aggregate outputs cannot be split by file; nothing was touched (thrown synchronously).</exception>
    /// <exception cref="Unattended.OutputLockedException">Another run holds the output folder; nothing was touched.</exception>
    public static Task<RunSummary> RunAsync(IFileTransform transform, PipelineOptions options, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options = RunSession.Prepare(transform, options);
        return RunCoreAsync(transform, options, progress, cancellationToken);
    }

    private static async Task<RunSummary> RunCoreAsync(IFileTransform transform, PipelineOptions options, IProgress<RunProgress>? progress, CancellationToken cancellationToken)
    {
        using var session = RunSession.Start(transform, options);
        var run = session.Begin(sequential: true, countProgress: true, cancellationToken);
        var counters = session.Counters;

        // Finished files are handed to the session (and so to the journal, one write each time) in the groups the
        // pipeline's batches form: consecutive small files, up to FileBatch.MaxFiles or a chunk's worth of bytes; a
        // large file alone. The two runners then make the same journal writes, and the comparison does not charge the
        // baseline a system call per file that the pipeline saves.
        var done = new List<FileResult>(FileBatch.MaxFiles);
        long doneBytes = 0;
        void HandOver()
        {
            if (done.Count > 0)
            {
                session.Complete(done);
                done.Clear();
                doneBytes = 0;
            }
        }

        // A count of the files ahead of the work, for a display's total and ETA (only when someone is told the progress
        // and wants its total: see PipelineOptions.CountAhead).
        using var counting = new CancellationTokenSource();
        var countAhead = progress is null || !options.CountAhead ? Task.CompletedTask : session.CountAheadAsync(counting.Token);
        try
        {
            // The walk's end is known (and reported, for an ETA) while the last file is processed: see RunCounters.Found.
            foreach (var file in counters.Found(session.Inputs(CancellationToken.None)))
            {
                if (session.Intake!.IsCancellationRequested)
                {
                    break;
                }

                FileResult result;
                if (session.TryResume(file) is { } skipped)
                {
                    result = skipped;
                    session.Complete(result);
                }
                else
                {
                    var small = file.Length <= options.ChunkSize;
                    if (!small)
                    {
                        HandOver();
                    }

                    result = await ProcessAsync(run, file).ConfigureAwait(false);
                    done.Add(result);
                    doneBytes += file.Length;
                    if (!small || done.Count == FileBatch.MaxFiles || doneBytes >= options.ChunkSize)
                    {
                        HandOver();
                    }
                }

                counters.Done(result);
                progress?.Report(counters.Snapshot(session.Stopwatch.Elapsed, result));
            }
        }
        finally
        {
            HandOver();
            await run.InFlight.DisposeAllAsync().ConfigureAwait(false);
            await counting.CancelAsync().ConfigureAwait(false);
            await countAhead.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        return await session.FinishAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<FileResult> ProcessAsync(RunContext run, SourceFile file)
    {
        var job = FileJob.Admit(run, file);
        await using (job.ConfigureAwait(false))
        {
            await job.ReadAsync(null).ConfigureAwait(false);
            await job.ProcessAsync().ConfigureAwait(false);
            return await job.CommitAsync().ConfigureAwait(false);
        }
    }
}
