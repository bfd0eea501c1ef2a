using Pipeline.Running;
using Pipeline.Transforms;

namespace Pipeline.Tests.Contract;

/// <summary>The runner contract against <see cref="SequentialRunner.Run"/>, on a thread of its own since it is synchronous.</summary>
public sealed class SequentialRunnerContract : RunnerContract
{
    protected override Task<RunSummary> RunAsync(IFileTransform transform, PipelineOptions options, IProgress<RunProgress>? progress, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(
            () => SequentialRunner.Run(transform, options, progress, cancellationToken),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    /// <summary>One file at a time: the file that reaches the limit is the last one taken.</summary>
    protected override int FilesInFlightBound(PipelineOptions options) => 0;
}
