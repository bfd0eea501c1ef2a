using System.Diagnostics;
using System.Threading.Tasks.Dataflow;
using Pipeline.Running.Engine;
using Pipeline.Sources;

namespace Pipeline.Running;

/// <summary>The pipeline, continued: the walk's files fed into the chain, and the progress heartbeat.</summary>
public static partial class DataflowRunner
{
    /// <summary>Feeds the walk's files into the chain: small files in batches, a large one alone, after the batch before it.</summary>
    private static async Task FeedAsync(RunSession session, StageChain chain, ActionBlock<FileResult[]> collector, RunCounters counters, int chunkSize, CancellationToken intake)
    {
        var pending = new List<SourceFile>(FileBatch.MaxFiles);
        long pendingBytes = 0;

        async Task<bool> SendPendingAsync()
        {
            if (pending.Count == 0)
            {
                return true;
            }

            var batch = new FileBatch(pending);
            pending = new List<SourceFile>(FileBatch.MaxFiles);
            pendingBytes = 0;
            return await chain.Input.SendAsync(batch, intake).ConfigureAwait(false);
        }

        try
        {
            foreach (var file in counters.Found(session.Inputs(intake)))
            {
                var room = session.WaitForRoomAsync(file.Sequence);
                if (!room.IsCompleted)
                {
                    // Too far ahead of a slow file: hand on the earlier files it may be waiting for, then wait.
                    if (!await SendPendingAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    await Task.WhenAny(room, collector.Completion).WaitAsync(intake).ConfigureAwait(false);
                    if (!room.IsCompleted)
                    {
                        break; // the results stopped coming: the chain faulted
                    }
                }

                if (session.TryResume(file) is { } skipped)
                {
                    collector.Post([skipped]);
                    continue;
                }

                var small = file.Length <= chunkSize;
                if (small)
                {
                    pending.Add(file);
                    pendingBytes += file.Length;
                }

                if ((!small || pending.Count == FileBatch.MaxFiles || pendingBytes >= chunkSize) && !await SendPendingAsync().ConfigureAwait(false))
                {
                    break;
                }

                if (!small && !await chain.Input.SendAsync(new FileBatch([file]), intake).ConfigureAwait(false))
                {
                    break;
                }
            }

            await SendPendingAsync().ConfigureAwait(false);
            chain.Complete();
        }
        catch (OperationCanceledException) when (intake.IsCancellationRequested)
        {
            chain.Complete();
        }
        catch (Exception ex)
        {
            chain.Fault(ex);
            throw;
        }
    }

    /// <summary>
    /// While files are in flight, a report every quarter second, so a display moves even when no file has finished
    /// for a while (one large file, say). Reports come from the run's own threads: handlers must be thread-safe.
    /// </summary>
    private static async Task HeartbeatAsync(IProgress<RunProgress> progress, RunCounters counters, Stopwatch stopwatch, PeriodicTimer timer)
    {
        while (await timer.WaitForNextTickAsync().ConfigureAwait(false))
        {
            progress.Report(counters.Snapshot(stopwatch.Elapsed, null));
        }
    }
}
