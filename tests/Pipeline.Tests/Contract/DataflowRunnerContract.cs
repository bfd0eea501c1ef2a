using Pipeline.Running;
using Pipeline.Transforms;

namespace Pipeline.Tests.Contract;

/// <summary>The runner contract against <see cref="DataflowRunner.RunAsync"/>.</summary>
public sealed class DataflowRunnerContract : RunnerContract
{
    protected override Task<RunSummary> RunAsync(IFileTransform transform, PipelineOptions options, IProgress<RunProgress>? progress, CancellationToken cancellationToken) =>
        DataflowRunner.RunAsync(transform, options, progress, cancellationToken);

    /// <summary>What its three stages hold at once, as files: the reader's and the writer's I/O concurrency, and twice the CPU stage's parallelism.</summary>
    protected override int FilesInFlightBound(PipelineOptions options) =>
        (2 * options.IoConcurrency) + (2 * options.MaxDegreeOfParallelism);

    protected override bool ReportsWhileFilesAreInFlight => true;

    /// <summary>As many as the CPU stage's parallelism, and one more while a finished chunk is written.</summary>
    protected override (int Least, int Most) ChunksAtOnce(int parallelism) => (parallelism, parallelism);
}
