using System.Diagnostics;
using System.Threading.Tasks.Dataflow;
using Pipeline.IO;
using Pipeline.Safety;
using Pipeline.Sources;
using Pipeline.Transforms;

namespace Pipeline.Running;

/// <summary>
/// The asynchronous pipeline: a lazy glob walk feeds an async reader (its own I/O concurrency), a
/// bounded-parallel CPU stage on the thread pool and an async atomic writer. Every block is bounded and
/// producers await <c>SendAsync</c>, so memory is set by the options, not by the number or size of files.
/// </summary>
public static class FilePipeline
{
    /// <summary>Runs <paramref name="transform"/> over the selected files and writes its outputs under <see cref="PipelineOptions.OutputRoot"/>.</summary>
    /// <param name="transform">What to do to each file.</param>
    /// <param name="options">What to read, where to write, how much at once.</param>
    /// <param name="progress">Told as each file finishes. Default: none.</param>
    /// <param name="cancellationToken">Stops feeding files; files in flight are abandoned without partial outputs and no aggregate output is written.</param>
    /// <returns>The summary; <see cref="RunSummary.Cancelled"/> is set if the run was cancelled.</returns>
    /// <exception cref="PipelineOptionsException">The options are invalid; nothing was touched (thrown synchronously).</exception>
    public static Task<RunSummary> RunAsync(IFileTransform transform, PipelineOptions options, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return RunCoreAsync(transform, options, progress, cancellationToken);

        static async Task<RunSummary> RunCoreAsync(IFileTransform transform, PipelineOptions options, IProgress<RunProgress>? progress, CancellationToken cancellationToken)
        {
            using var session = RunSession.Start(transform, options);
            var stopwatch = Stopwatch.StartNew();
            var budget = new MemoryBudget(options.MemoryBudget);

            // Stops the intake: on cancellation, or once the error limit is reached (files in flight still finish).
            using var intake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var errorLimit = new ErrorLimit(options.MaxErrors, intake);
            var counters = new RunCounters();
            var pipeline = CreateChain(transform, options, budget, errorLimit, counters, session.Guard, cancellationToken);
            var results = new List<FileResult>();
            var collector = new ActionBlock<FileResult[]>(batch =>
            {
                // One journal write per batch: a kill loses at most the files in flight, as with one per file.
                session.Record(batch);
                foreach (var result in batch)
                {
                    results.Add(result);
                    counters.Done(result);
                    progress?.Report(counters.Snapshot(stopwatch.Elapsed, result));
                }
            });
            pipeline.LinkTo(collector);
            CompleteAfter(pipeline, collector);
            FaultTogether(pipeline, collector);

            // The walk does synchronous directory I/O: keep it off the caller's thread.
            var feeding = Task.Run(
                async () =>
                {
                    try
                    {
                        var pending = new List<SourceFile>(FileBatch.MaxFiles);
                        long pendingBytes = 0;
                        foreach (var file in session.Inputs(intake.Token))
                        {
                            counters.Found(file.Length);
                            if (session.TryResume(file) is { } skipped)
                            {
                                collector.Post([skipped]);
                                continue;
                            }

                            // Small files go in batches; a large one goes alone, after the batch before it.
                            var small = file.Length <= options.ChunkSize;
                            if (small)
                            {
                                pending.Add(file);
                                pendingBytes += file.Length;
                            }

                            if (pending.Count > 0 && (!small || pending.Count == FileBatch.MaxFiles || pendingBytes >= options.ChunkSize))
                            {
                                if (!await pipeline.SendAsync(new FileBatch(pending), intake.Token).ConfigureAwait(false))
                                {
                                    break;
                                }

                                pending = new List<SourceFile>(FileBatch.MaxFiles);
                                pendingBytes = 0;
                            }

                            if (!small && !await pipeline.SendAsync(new FileBatch([file]), intake.Token).ConfigureAwait(false))
                            {
                                break;
                            }
                        }

                        if (pending.Count > 0)
                        {
                            await pipeline.SendAsync(new FileBatch(pending), intake.Token).ConfigureAwait(false);
                        }

                        counters.WalkCompleted();
                        pipeline.Complete();
                    }
                    catch (OperationCanceledException) when (intake.IsCancellationRequested)
                    {
                        pipeline.Complete();
                    }
                    catch (Exception ex)
                    {
                        pipeline.Fault(ex);
                        throw;
                    }
                },
                CancellationToken.None);

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
                heartbeatTimer?.Dispose();
                await heartbeat.ConfigureAwait(false);
            }

            results.Sort(ResultOrder.Instance);
            var cancelled = cancellationToken.IsCancellationRequested;
            var stoppedByErrors = errorLimit.Reached;
            if (!cancelled && !stoppedByErrors)
            {
                await WriteAggregatesAsync(transform, options.OutputRoot, results, session.Guard, cancellationToken).ConfigureAwait(false);
            }

            return new RunSummary(results, stopwatch.Elapsed, cancelled)
            {
                PeakBufferedBytes = budget.Peak,
                StoppedByErrorLimit = stoppedByErrors,
                TempFilesRemoved = session.TempFilesRemoved,
            };
        }
    }

    /// <summary>
    /// The pipeline as one Dataflow block, to link into your own mesh: post <see cref="SourceFile"/>s in,
    /// receive a <see cref="FileResult"/> for each (in completion order). Outputs go under <see cref="PipelineOptions.OutputRoot"/>;
    /// call <see cref="WriteAggregateOutputsAsync"/> with the successful results when you are done.
    /// </summary>
    /// <param name="transform">What to do to each file.</param>
    /// <param name="options">Where to write and how much at once; the values are copied now.</param>
    /// <param name="cancellationToken">Files still queued or in flight when it fires come out as <see cref="FileStatus.Cancelled"/>, with no partial output.</param>
    public static IPropagatorBlock<SourceFile, FileResult> CreateBlock(IFileTransform transform, PipelineOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(options);
        var chain = CreateChain(transform, options, new MemoryBudget(options.MemoryBudget), null, null, new OutputGuard(options.Selection.InputRoot, options.OutputRoot), cancellationToken);

        // One file a batch on the way in, one result a message on the way out: the public face is per file.
        var single = new TransformBlock<SourceFile, FileBatch>(file => new FileBatch([file]), new ExecutionDataflowBlockOptions { BoundedCapacity = 1 });
        var flatten = new TransformManyBlock<FileResult[], FileResult>(results => results, new ExecutionDataflowBlockOptions { BoundedCapacity = options.IoConcurrency });
        return Join(single, chain, flatten);
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

    /// <summary>The three stages over batches: reader, CPU, writer; results come out a batch at a time.</summary>
    private static IPropagatorBlock<FileBatch, FileResult[]> CreateChain(IFileTransform transform, PipelineOptions options, MemoryBudget budget, ErrorLimit? errorLimit, RunCounters? counters, OutputGuard guard, CancellationToken cancellationToken)
    {
        var io = options.IoConcurrency;
        var cpu = options.MaxDegreeOfParallelism;
        var stages = new PipelineStages(transform, options.OutputRoot, options.ChunkSize, budget, RetryPolicy.From(options), errorLimit, counters, guard, cancellationToken);

        // No CancellationToken in the block options: a cancelled block drops what it holds, and an
        // item holding a temporary file must reach the writer to have it removed.
        var reader = new TransformBlock<FileBatch, FileBatch>(stages.ReadBatchAsync, Stage(io, io));
        var transformer = new TransformBlock<FileBatch, FileBatch>(stages.TransformBatchAsync, Stage(cpu, 2 * cpu));
        var writer = new TransformBlock<FileBatch, FileResult[]>(stages.WriteBatchAsync, Stage(io, io));
        return Join(reader, transformer, writer);
    }

    /// <summary>Three blocks as one: linked in order, each completing after the one before, faulting together.</summary>
    private static IPropagatorBlock<TIn, TOut> Join<TIn, TA, TB, TOut>(IPropagatorBlock<TIn, TA> first, IPropagatorBlock<TA, TB> middle, IPropagatorBlock<TB, TOut> last)
    {
        first.LinkTo(middle);
        middle.LinkTo(last);
        CompleteAfter(first, middle);
        CompleteAfter(middle, last);
        FaultTogether(first, middle, last);
        return DataflowBlock.Encapsulate(first, last);
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
        return WriteAggregatesAsync(transform, outputRoot, succeeded, null, cancellationToken);
    }

    private static async Task WriteAggregatesAsync(IFileTransform transform, string outputRoot, IEnumerable<FileResult> succeeded, OutputGuard? guard, CancellationToken cancellationToken)
    {
        var sorted = succeeded.Where(r => r.Status is FileStatus.Succeeded or FileStatus.Skipped).Order(ResultOrder.Instance).ToList();
        foreach (var output in transform.CreateAggregateOutputs(sorted))
        {
            var path = Path.Join(outputRoot, output.RelativePath);
            guard?.Check(path);
            await AtomicFileWriter.WriteAllAsync(path, output.Content, cancellationToken).ConfigureAwait(false);
        }
    }

    private static ExecutionDataflowBlockOptions Stage(int parallelism, int capacity) => new()
    {
        MaxDegreeOfParallelism = parallelism,
        BoundedCapacity = capacity,
        EnsureOrdered = false,
    };

    /// <summary>
    /// Completes <paramref name="target"/> when <paramref name="source"/> completes, or faults it with the original
    /// exception (Dataflow's own propagation would wrap it in another AggregateException at every link).
    /// </summary>
    private static void CompleteAfter(IDataflowBlock source, IDataflowBlock target) =>
        _ = source.Completion.ContinueWith(
            done =>
            {
                if (done.IsFaulted)
                {
                    target.Fault(done.Exception!.GetBaseException());
                }
                else
                {
                    target.Complete();
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    /// <summary>A fault anywhere faults every block, so no stage is left waiting on a dead neighbour.</summary>
    private static void FaultTogether(params IDataflowBlock[] blocks)
    {
        foreach (var block in blocks)
        {
            _ = block.Completion.ContinueWith(
                faulted =>
                {
                    foreach (var other in blocks)
                    {
                        other.Fault(faulted.Exception!.GetBaseException());
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }
}
