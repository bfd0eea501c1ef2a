using Pipeline.Running;
using Pipeline.Transforms;

namespace Pipeline.Tests.Contract;

/// <summary>The runner contract against <see cref="SequentialRunner.RunAsync"/>, on a thread of its own, as the CLI runs it.</summary>
public sealed class SequentialRunnerContract : RunnerContract
{
    protected override Task<RunSummary> RunAsync(IFileTransform transform, PipelineOptions options, IProgress<RunProgress>? progress, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(
            () => SequentialRunner.RunAsync(transform, options, progress, cancellationToken),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap();

    /// <summary>One file at a time: the file that reaches the limit is the last one taken.</summary>
    protected override int FilesInFlightBound(PipelineOptions options) => 0;

    protected override bool ReportsWhileFilesAreInFlight => false;

    /// <summary>One chunk after another: the same steps as the pipeline's, one at a time.</summary>
    protected override (int Least, int Most) ChunksAtOnce(int parallelism) => (1, 1);
}
