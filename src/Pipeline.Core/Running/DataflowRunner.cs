using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using System.Threading.Tasks.Dataflow;
using Pipeline.Running.Engine;
using Pipeline.Sources;
using Pipeline.Transforms;

namespace Pipeline.Running;

/// <summary>
/// The library's entry point: runs a transform over a folder through the TPL Dataflow pipeline (<see cref="RunAsync"/>),
/// streams its results (<see cref="StreamResultsAsync"/>) or hands it out as a block to link into your own mesh
/// (<see cref="CreateBlock"/>). A lazy glob walk feeds an async reader (its own I/O concurrency), a bounded-parallel CPU
/// stage on the thread pool and an async atomic writer. Every block is bounded and producers await <c>SendAsync</c>, so
/// memory is set by the options, not by the number or size of files. <see cref="SequentialRunner"/> runs the same steps
/// one file at a time.
/// </summary>
public static partial class DataflowRunner
{
    /// <summary>Runs <paramref name="transform"/> over the selected files and writes its outputs under <see cref="PipelineOptions.OutputRoot"/>.</summary>
    /// <param name="transform">What to do to each file.</param>
    /// <param name="options">What to read, where to write, how much at once.</param>
    /// <param name="progress">Told as each file finishes, and every quarter second while files are in flight, from the run's threads (handlers must be thread-safe).
    /// When given, the selection is also counted (names and sizes) ahead of the work on a thread of its own, so that
    /// <see cref="RunProgress.WalkCompleted"/> and the totals come early. Default: none.</param>
    /// <param name="cancellationToken">Stops feeding files; files in flight are abandoned without partial outputs and no aggregate output is written.</param>
    /// <returns>
    /// The summary; <see cref="RunSummary.Cancelled"/> is set if the run was cancelled. The task ends only when no stage
    /// runs any more and nothing a file held is left (no temporary file, no open handle); the output folder's lock is
    /// released after that. The lock, the sweep of leftover temporary files and the journal's read happen on the
    /// thread pool, not on the caller's thread.
    /// </returns>
    /// <exception cref="PipelineOptionsException">The options are invalid, or <see cref="PipelineOptions.Shard"/> is set for a transform whose aggregate outputs cannot be split by file; nothing was touched (thrown synchronously).</exception>
    /// <exception cref="Unattended.OutputLockedException">Another run holds the output folder; nothing was touched (from the task).</exception>
    public static Task<RunSummary> RunAsync(IFileTransform transform, PipelineOptions options, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options = RunSession.Prepare(transform, options);
        return Task.Run(() => RunCoreAsync(transform, options, progress, null, cancellationToken), CancellationToken.None);
    }

    /// <summary>
    /// Runs <paramref name="transform"/> as its results are read: each file's result in walk order (ordinal order of
    /// relative paths), as soon as it and every earlier one are known. The run starts with the first
    /// <c>MoveNextAsync</c> and keeps pace with the reader: it takes a file only while it is fewer than
    /// 128 × (<see cref="PipelineOptions.IoConcurrency"/> + <see cref="PipelineOptions.MaxDegreeOfParallelism"/>) places
    /// ahead of the results read (twice what its stages hold at once), however slow the reader and however many the files.
    /// </summary>
    /// <remarks>
    /// <para>Leaving the loop early — <c>break</c>, an exception in its body, or <paramref name="cancellationToken"/>
    /// (or <c>WithCancellation</c>'s) — stops the run as cancellation does: the files in flight are abandoned, no partial
    /// or temporary file is left, no aggregate output is written, and the output folder's lock is released, all before
    /// the enumerator's <c>DisposeAsync</c> returns (which <c>await foreach</c> does on leaving). A run that ends
    /// normally writes its aggregate outputs before the loop ends.</para>
    /// <para>Results are not kept (<see cref="PipelineOptions.KeepResults"/> is ignored); <see cref="PipelineOptions.Results"/>
    /// is still told of each, before the loop sees it.</para>
    /// </remarks>
    /// <param name="transform">What to do to each file.</param>
    /// <param name="options">What to read, where to write, how much at once; checked now, copied when the run starts.</param>
    /// <param name="cancellationToken">Stops the run; the loop then ends with <see cref="OperationCanceledException"/>, after the run has stopped.</param>
    /// <returns>The results, one per file the run takes, in walk order.</returns>
    /// <exception cref="PipelineOptionsException">The options are invalid, or <see cref="PipelineOptions.Shard"/> is set for a transform whose aggregate outputs cannot be split by file; nothing was touched (thrown synchronously).</exception>
    /// <exception cref="Unattended.OutputLockedException">Another run holds the output folder; nothing was touched (from the first <c>MoveNextAsync</c>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (from <c>MoveNextAsync</c>, once the run has stopped).</exception>
    public static IAsyncEnumerable<FileResult> StreamResultsAsync(IFileTransform transform, PipelineOptions options, CancellationToken cancellationToken = default)
    {
        options = RunSession.Prepare(transform, options);
        return StreamResultsCoreAsync(transform, options, cancellationToken);
    }

    /// <summary>
    /// The pipeline as one Dataflow block, to link into your own mesh: offer <see cref="SourceFile"/>s (from
    /// <see cref="GlobFileSource.Enumerate"/> over <see cref="PipelineOptions.EffectiveSelection"/>, say), receive a
    /// <see cref="FileResult"/> for each, in completion order. Outputs go under <see cref="PipelineOptions.OutputRoot"/>;
    /// call <see cref="WriteAggregateOutputsAsync"/> with the results when you are done.
    /// </summary>
    /// <remarks>
    /// <para>It honours every option that applies to a block (not <see cref="PipelineOptions.KeepResults"/> and <see cref="PipelineOptions.Results"/>: every result comes out of the block): concurrency, chunk size and memory budget; retries on <see cref="PipelineOptions.TimeProvider"/>;
    /// <see cref="PipelineOptions.Journal"/> (the output folder's lock for the block's life, the sweep of leftover temporary
    /// files, a journal of its results) and <see cref="PipelineOptions.Resume"/> (a file the journal says is done comes out
    /// <see cref="FileStatus.Skipped"/>); <see cref="PipelineOptions.MaxErrors"/> (once reached, the block stops accepting
    /// files, files not yet started come out <see cref="FileStatus.Cancelled"/>, and it completes). No output is ever written
    /// into <see cref="FileSelection.InputRoot"/> (see docs/safety.md).</para>
    /// <para>Cancellation: when <paramref name="cancellationToken"/> fires, the block stops accepting files, the files it holds
    /// come out <see cref="FileStatus.Cancelled"/> with no partial output, and its <see cref="IDataflowBlock.Completion"/> ends
    /// cancelled, as a Dataflow block with a cancelled token does.</para>
    /// <para>Faults propagate both ways: <see cref="IDataflowBlock.Fault"/>, a failing stage, or a fault of a target it is
    /// linked to (so a <c>SendAsync</c> into it returns false instead of waiting forever) faults the whole block. Either way,
    /// <see cref="IDataflowBlock.Completion"/> ends only when no stage runs a step any more and every file it held has been
    /// disposed (no temporary file, no open handle), and the lock is released after that. Link your source to it with
    /// <c>PropagateCompletion = true</c> and complete the source when done.</para>
    /// </remarks>
    /// <param name="transform">What to do to each file.</param>
    /// <param name="options">Where to write and how much at once; checked by <see cref="PipelineOptions.Validate"/> and copied now.</param>
    /// <param name="cancellationToken">Stops the block; see the remarks.</param>
    /// <exception cref="PipelineOptionsException">The options are invalid, or <see cref="PipelineOptions.Shard"/> is set; nothing was touched.</exception>
    /// <exception cref="Unattended.OutputLockedException">With <see cref="PipelineOptions.Journal"/>, another run holds the output folder.</exception>
    public static IPropagatorBlock<SourceFile, FileResult> CreateBlock(IFileTransform transform, PipelineOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(options);
        options = options.Clone();
        options.Validate();
        if (options.Shard is not null)
        {
            throw new PipelineOptionsException([new PipelineOptionsProblem(nameof(PipelineOptions.Shard), $"a block takes the files it is offered: offer it only those that {nameof(Sharding.Shard)}.{nameof(Sharding.Shard.Contains)} takes, and leave {nameof(PipelineOptions.Shard)} unset")]);
        }

        return new FilePropagatorBlock(transform, options, cancellationToken);
    }

    /// <summary>Writes the transform's aggregate outputs (a manifest, say) atomically under <paramref name="outputRoot"/>.</summary>
    /// <param name="transform">The transform that produced the results.</param>
    /// <param name="outputRoot">The output folder.</param>
    /// <param name="succeeded">The results: the successful ones (and those skipped by a resume, whose artifacts come from the journal) are used, sorted by ordinal relative path.</param>
    /// <param name="cancellationToken">Cancels the writes; no partial file is left.</param>
    public static Task WriteAggregateOutputsAsync(IFileTransform transform, string outputRoot, IEnumerable<FileResult> succeeded, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputRoot);
        ArgumentNullException.ThrowIfNull(succeeded);
        return AggregateWriter.WriteAsync(transform, outputRoot, succeeded, null, null, cancellationToken);
    }

    private static async IAsyncEnumerable<FileResult> StreamResultsCoreAsync(IFileTransform transform, PipelineOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Unbounded, yet never long: the window stops the feed a bounded number of files ahead of what was read.
        var channel = Channel.CreateUnbounded<FileResult>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var window = ConsumerWindow.For(options);
        var streamed = options; // the caller's copy, taken when the stream was asked for
        streamed.KeepResults = false;
        streamed.Results = new ChannelResults(channel.Writer, options.Results);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = Task.Run(() => RunCoreAsync(transform, streamed, null, window, stop.Token), CancellationToken.None);
        _ = run.ContinueWith(_ => channel.Writer.TryComplete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var result))
                {
                    window.Took();
                    yield return result;
                }
            }

            // A fault of the run itself (another run holds the folder, say) ends the loop with it; a cancelled run, with
            // OperationCanceledException, even when every result, the cancelled ones too, was read before it showed.
            await run.ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
        finally
        {
            // Left early (break, a throw, cancellation) or not: the run has stopped, everything a file held is freed and
            // the lock released before the enumerator's DisposeAsync returns.
            await stop.CancelAsync().ConfigureAwait(false);
            await ((Task)run).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static async Task<RunSummary> RunCoreAsync(IFileTransform transform, PipelineOptions options, IProgress<RunProgress>? progress, ConsumerWindow? consumer, CancellationToken cancellationToken)
    {
        using var session = RunSession.Start(transform, options);
        session.Consumer = consumer;
        var run = session.Begin(sequential: false, countProgress: true, cancellationToken);
        var counters = session.Counters;
        var stopwatch = session.Stopwatch;
        using var chain = new StageChain(run, options.IoConcurrency, options.MaxDegreeOfParallelism);
        var collector = new ActionBlock<FileResult[]>(batch =>
        {
            session.Complete(batch);
            foreach (var result in batch)
            {
                counters.Done(result);
                progress?.Report(counters.Snapshot(stopwatch.Elapsed, result));
            }
        });
        chain.Output.LinkTo(collector);
        StageChain.CompleteAfter(chain.Output, collector);
        _ = collector.Completion.ContinueWith(f => chain.Fault(f.Exception!.GetBaseException()), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        // A count of the files ahead of the work, for a display's total and ETA (only when someone is told the progress
        // and wants its total: see PipelineOptions.CountAhead).
        using var counting = new CancellationTokenSource();
        var countAhead = progress is null || !options.CountAhead ? Task.CompletedTask : session.CountAheadAsync(counting.Token);

        // The walk does synchronous directory I/O: keep it off the caller's thread.
        var feeding = Task.Run(() => FeedAsync(session, chain, collector, counters, options.ChunkSize, session.Intake!.Token), CancellationToken.None);

        // Stopped by disposing its timer, which ends the wait without an exception: a first exception
        // in a process costs a few milliseconds, a visible share of a short run.
        using var heartbeatTimer = progress is null ? null : new PeriodicTimer(TimeSpan.FromMilliseconds(250), options.TimeProvider);
        var heartbeat = progress is not null && heartbeatTimer is not null ? HeartbeatAsync(progress, counters, stopwatch, heartbeatTimer) : Task.CompletedTask;
        try
        {
            await Task.WhenAll(feeding, collector.Completion).ConfigureAwait(false);
        }
        finally
        {
            // Whatever ended the run (done, cancelled, a fault, a throwing progress handler), it returns only once no
            // stage runs a step and nothing a file held is left; the session's lock is released after that.
            if (!chain.Completion.IsCompleted && (feeding.IsFaulted || collector.Completion.IsFaulted))
            {
                chain.Fault(new OperationCanceledException("the run stopped"));
            }

            await chain.Completion.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await feeding.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await run.InFlight.DisposeAllAsync().ConfigureAwait(false);
            await counting.CancelAsync().ConfigureAwait(false);
            await countAhead.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            heartbeatTimer?.Dispose();
            await heartbeat.ConfigureAwait(false);
        }

        // A fault of the chain itself (not of a file: those are results) ends the run with that fault.
        await chain.Completion.ConfigureAwait(false);
        return await session.FinishAsync(cancellationToken).ConfigureAwait(false);
    }
}
