using Pipeline.Running;
using Pipeline.Transforms;

namespace Pipeline.Tests.Contract;

/// <summary>The runner contract against <see cref="SequentialRunner.RunAsync"/>, on a thread of its own, as the CLI runs it.</summary>
public sealed class SequentialRunnerContract : RunnerContract
{
    protected override Task<RunSummary> RunAsync(IFileTransform transform, PipelineOptions options, IProgress<RunProgress>? progress, CancellationToken cancellationToken)
    {
        // The runner takes its copy of the options when it is called, and it is called on the thread started here, some
        // time after this method returns; a caller that calls it directly has it copied before the call returns. So the
        // options go to that thread as they are now, and a test that changes them once the run has started (as
        // Run_OptionsChangedOnceStarted does) races nothing.
        var asCalled = options.Clone();
        return Task.Factory.StartNew(
            () => SequentialRunner.RunAsync(transform, asCalled, progress, cancellationToken),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap();
    }

    /// <summary>One file at a time: the file that reaches the limit is the last one taken.</summary>
    protected override int FilesInFlightBound(PipelineOptions options) => 0;

    protected override bool ReportsWhileFilesAreInFlight => false;

    /// <summary>One chunk after another: the same steps as the pipeline's, one at a time.</summary>
    protected override (int Least, int Most) ChunksAtOnce(int parallelism) => (1, 1);
}
