using System.Threading.Tasks.Dataflow;

namespace Pipeline.Running.Engine;

/// <summary>
/// The three blocks — reader (I/O concurrency), transformer (CPU parallelism, on the thread pool), writer (I/O
/// concurrency) — linked in order, each completing after the one before and all faulting together.
/// <see cref="Completion"/> ends only when none of them runs a step any more, faulted or not.
/// </summary>
/// <remarks>
/// A fault tears the chain down through the blocks' cancellation token, not through <see cref="IDataflowBlock.Fault"/>:
/// Dataflow ignores a fault that comes after <see cref="IDataflowBlock.Complete"/>, and a completing block whose
/// neighbour is dead would then wait forever to hand on its output. Torn down, every block drops what it holds once its
/// running steps end; the files those messages carried are still reachable through <see cref="FilesInFlight"/>.
/// </remarks>
internal sealed class StageChain : IDisposable
{
    private readonly CancellationTokenSource _teardown = new();
    private Exception? _fault;
    private readonly TransformBlock<FileBatch, FileBatch> _reader;
    private readonly TransformBlock<FileBatch, FileBatch> _transformer;
    private readonly TransformBlock<FileBatch, FileResult[]> _writer;

    public StageChain(RunContext run, int ioConcurrency, int parallelism)
    {
        var stages = new BatchSteps(run);

        // The run's own cancellation is not the blocks' token: cancelled files end as cancelled results through their
        // own steps. The blocks' token is only the teardown after a fault.
        _reader = new TransformBlock<FileBatch, FileBatch>(stages.ReadBatchAsync, Stage(ioConcurrency, ioConcurrency, _teardown.Token));
        _transformer = new TransformBlock<FileBatch, FileBatch>(BatchSteps.TransformBatchAsync, Stage(parallelism, 2 * parallelism, _teardown.Token));
        _writer = new TransformBlock<FileBatch, FileResult[]>(BatchSteps.WriteBatchAsync, Stage(ioConcurrency, ioConcurrency, _teardown.Token));
        _reader.LinkTo(_transformer);
        _transformer.LinkTo(_writer);
        CompleteAfter(_reader, _transformer);
        CompleteAfter(_transformer, _writer);
        foreach (var block in (IDataflowBlock[])[_reader, _transformer, _writer])
        {
            _ = block.Completion.ContinueWith(f => Fault(f.Exception!.GetBaseException()), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        Completion = AllStoppedAsync();
    }

    /// <summary>The token that tears the chain down; blocks joined to the chain (an intake, a results block) take it too.</summary>
    public CancellationToken Teardown => _teardown.Token;

    public ITargetBlock<FileBatch> Input => _reader;

    public ISourceBlock<FileResult[]> Output => _writer;

    /// <summary>Ends when every block has stopped running steps; faulted with the first block's fault, if any.</summary>
    public Task Completion { get; }

    public void Complete() => _reader.Complete();

    /// <summary>Tears the chain down; <see cref="Completion"/> then ends with the first fault once no step runs.</summary>
    public void Fault(Exception exception)
    {
        Interlocked.CompareExchange(ref _fault, exception, null);
        try
        {
            _teardown.Cancel();
        }
        catch (ObjectDisposedException)
        {
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

    /// <summary>Frees the teardown token; call once <see cref="Completion"/> has ended.</summary>
    public void Dispose() => _teardown.Dispose();

    /// <summary>Waits for all three, so a fault at one end cannot report completion while the other end still runs a step.</summary>
    private async Task AllStoppedAsync()
    {
#pragma warning disable VSTHRD003 // The blocks are this chain's own.
        await Task.WhenAll(_reader.Completion, _transformer.Completion, _writer.Completion).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
#pragma warning restore VSTHRD003
        if (Volatile.Read(ref _fault) is { } fault)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(fault);
        }
    }

    private static ExecutionDataflowBlockOptions Stage(int parallelism, int capacity, CancellationToken teardown) => new()
    {
        MaxDegreeOfParallelism = parallelism,
        BoundedCapacity = capacity,
        EnsureOrdered = false,
        CancellationToken = teardown,
    };
}
