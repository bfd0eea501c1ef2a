using System.Threading.Tasks.Dataflow;
using Pipeline.Sources;
using Pipeline.Transforms;

namespace Pipeline.Running.Engine;

/// <summary>
/// The pipeline as one propagator block (see <see cref="DataflowRunner.CreateBlock"/>): files in through a one-message
/// intake, the three-block chain, results out one by one. Its <see cref="Completion"/> ends only when no stage runs a
/// step any more and every file it held has been disposed, and it is as strict as Dataflow's own blocks about faults
/// and cancellation.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Like Dataflow's own blocks it is not disposable: it frees what it owns when its Completion ends.")]
internal sealed class FilePropagatorBlock : IPropagatorBlock<SourceFile, FileResult>, IReceivableSourceBlock<FileResult>
{
    private readonly RunSession _session;
    private readonly FilesInFlight _inFlight;
    private readonly TransformBlock<SourceFile, FileBatch> _intake;
    private readonly StageChain _chain;
    private readonly TransformManyBlock<FileResult[], FileResult> _results;

    public FilePropagatorBlock(IFileTransform transform, PipelineOptions options, CancellationToken cancellationToken)
    {
        _session = RunSession.Start(transform, options);
        var run = _session.Begin(sequential: false, countProgress: false, cancellationToken);
        _inFlight = run.InFlight;
        _chain = new StageChain(run, options.IoConcurrency, options.MaxDegreeOfParallelism);

        // One file a batch on the way in, one result a message on the way out: the public face is per file.
        _intake = new TransformBlock<SourceFile, FileBatch>(
            file => _session.TryResume(file) is { } done ? new FileBatch([file]) { Resumed = FileJob.Finished(run, file, done) } : new FileBatch([file]),
            new ExecutionDataflowBlockOptions { BoundedCapacity = 1, CancellationToken = _chain.Teardown });
        _results = new TransformManyBlock<FileResult[], FileResult>(
            results =>
            {
                _session.Record(results);
                return results;
            },
            new ExecutionDataflowBlockOptions { BoundedCapacity = options.IoConcurrency, CancellationToken = _chain.Teardown });
        _intake.LinkTo(_chain.Input);
        _chain.Output.LinkTo(_results);
        StageChain.CompleteAfter(_intake, (IDataflowBlock)_chain.Input);
        StageChain.CompleteAfter(_chain.Output, _results);
        _ = _intake.Completion.ContinueWith(f => _chain.Fault(f.Exception!.GetBaseException()), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _ = _results.Completion.ContinueWith(f => _chain.Fault(f.Exception!.GetBaseException()), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        // Cancelled, or the error limit reached: accept no more files; those accepted come out cancelled or not started.
        _session.Intake!.Token.Register(() => _intake.Complete());
        Completion = CompleteAsync(cancellationToken);
    }

    public Task Completion { get; }

    public void Complete() => _intake.Complete();

    /// <summary>Tears the whole block down (intake, stages, results share the chain's teardown); <see cref="Completion"/> ends faulted with <paramref name="exception"/>.</summary>
    public void Fault(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        _chain.Fault(exception);
    }

    public DataflowMessageStatus OfferMessage(DataflowMessageHeader messageHeader, SourceFile messageValue, ISourceBlock<SourceFile>? source, bool consumeToAccept) =>
        ((ITargetBlock<SourceFile>)_intake).OfferMessage(messageHeader, messageValue, source, consumeToAccept);

    public IDisposable LinkTo(ITargetBlock<FileResult> target, DataflowLinkOptions linkOptions)
    {
        ArgumentNullException.ThrowIfNull(target);

        // A target that faults will never take another result: fault this block too, so that nothing upstream waits
        // forever on a pipeline that can no longer hand its results on (plain Dataflow would).
        // (Dataflow's own temporary targets, behind ReceiveAsync and OutputAvailableAsync, have no Completion.)
        Task? targetCompletion = null;
        try
        {
            targetCompletion = target.Completion;
        }
        catch (NotSupportedException)
        {
        }

        _ = targetCompletion?.ContinueWith(f => Fault(f.Exception!.GetBaseException()), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        if (!linkOptions.PropagateCompletion)
        {
            return _results.LinkTo(target, linkOptions);
        }

        // Completion is passed on when this whole block has ended (files disposed, lock released), not when its last
        // inner block has: a target's completion then means the output folder is free for the next run.
        var link = _results.LinkTo(target, new DataflowLinkOptions { Append = linkOptions.Append, MaxMessages = linkOptions.MaxMessages, PropagateCompletion = false });
        StageChain.CompleteAfter(this, target);
        return link;
    }

    public FileResult? ConsumeMessage(DataflowMessageHeader messageHeader, ITargetBlock<FileResult> target, out bool messageConsumed) =>
        ((ISourceBlock<FileResult>)_results).ConsumeMessage(messageHeader, target, out messageConsumed);

    public bool ReserveMessage(DataflowMessageHeader messageHeader, ITargetBlock<FileResult> target) =>
        ((ISourceBlock<FileResult>)_results).ReserveMessage(messageHeader, target);

    public void ReleaseReservation(DataflowMessageHeader messageHeader, ITargetBlock<FileResult> target) =>
        ((ISourceBlock<FileResult>)_results).ReleaseReservation(messageHeader, target);

    public bool TryReceive(Predicate<FileResult>? filter, out FileResult item) => _results.TryReceive(filter, out item!);

    public bool TryReceiveAll([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IList<FileResult>? items) => _results.TryReceiveAll(out items);

#pragma warning disable VSTHRD003 // The blocks and the chain are this block's own.
    private async Task CompleteAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(_intake.Completion, _chain.Completion, _results.Completion).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        finally
        {
            await _inFlight.DisposeAllAsync().ConfigureAwait(false);
            _session.Dispose();
            _chain.Dispose();
        }

        // The chain holds the first fault, wherever it happened (a stage, the intake, the results, a linked target).
        await _chain.Completion.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }
#pragma warning restore VSTHRD003
}
