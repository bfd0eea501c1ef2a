using System.Threading.Tasks.Dataflow;

namespace Pipeline.Running;

/// <summary>
/// The three blocks — reader (I/O concurrency), transformer (CPU parallelism, on the thread pool), writer (I/O
/// concurrency) — linked in order, each completing after the one before and all faulting together.
/// <see cref="Completion"/> ends only when none of them runs a step any more, faulted or not.
/// </summary>
internal sealed class PipelineChain
{
    private readonly TransformBlock<FileBatch, FileBatch> _reader;
    private readonly TransformBlock<FileBatch, FileBatch> _transformer;
    private readonly TransformBlock<FileBatch, FileResult[]> _writer;

    public PipelineChain(FileJobContext run, int ioConcurrency, int parallelism)
    {
        var stages = new PipelineStages(run);

        // No CancellationToken in the block options: a cancelled block drops what it holds. Files in flight end as
        // cancelled results through their own steps instead, and FilesInFlight reaches any a fault drops.
        _reader = new TransformBlock<FileBatch, FileBatch>(stages.ReadBatchAsync, Stage(ioConcurrency, ioConcurrency));
        _transformer = new TransformBlock<FileBatch, FileBatch>(PipelineStages.TransformBatchAsync, Stage(parallelism, 2 * parallelism));
        _writer = new TransformBlock<FileBatch, FileResult[]>(PipelineStages.WriteBatchAsync, Stage(ioConcurrency, ioConcurrency));
        _reader.LinkTo(_transformer);
        _transformer.LinkTo(_writer);
        CompleteAfter(_reader, _transformer);
        CompleteAfter(_transformer, _writer);
        FaultTogether(_reader, _transformer, _writer);
        Completion = AllStoppedAsync();
    }

    public ITargetBlock<FileBatch> Input => _reader;

    public ISourceBlock<FileResult[]> Output => _writer;

    /// <summary>Ends when every block has stopped running steps; faulted with the first block's fault, if any.</summary>
    public Task Completion { get; }

    public void Complete() => _reader.Complete();

    public void Fault(Exception exception)
    {
        foreach (var block in (IDataflowBlock[])[_reader, _transformer, _writer])
        {
            block.Fault(exception);
        }
    }

    /// <summary>
    /// Completes <paramref name="target"/> when <paramref name="source"/> completes, or faults it with the original
    /// exception (Dataflow's own propagation would wrap it in another AggregateException at every link).
    /// </summary>
    internal static void CompleteAfter(IDataflowBlock source, IDataflowBlock target) =>
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
    internal static void FaultTogether(params IDataflowBlock[] blocks)
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

    /// <summary>Waits for all three, so a fault at one end cannot report completion while the other end still runs a step.</summary>
    private async Task AllStoppedAsync()
    {
        Task[] all = [_reader.Completion, _transformer.Completion, _writer.Completion];
        try
        {
            await Task.WhenAll(all).ConfigureAwait(false);
        }
        catch (Exception) when (Array.Find(all, t => t.IsFaulted) is { } first)
        {
            // The first fault, unwrapped, rather than WhenAll's choice.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first.Exception!.GetBaseException());
        }
    }

    private static ExecutionDataflowBlockOptions Stage(int parallelism, int capacity) => new()
    {
        MaxDegreeOfParallelism = parallelism,
        BoundedCapacity = capacity,
        EnsureOrdered = false,
    };
}
