using Pipeline.Cli.Comparing;
using Pipeline.Running;
using Pipeline.Transforms;

namespace Pipeline.Cli.Benchmarking;

/// <summary>The pipeline's throughput at several degrees of parallelism, on the same inputs, against the sequential implementation.</summary>
/// <remarks>
/// Measured as the comparison is: the sequential implementation and the pipeline at every parallelism each get one
/// warm-up, then rounds that run each of them once in a rotating order (none always runs first or last), so every
/// speedup sets rounds against rounds timed under the same conditions; every run writes into a new folder under the
/// caller's scratch folder, which the caller removes when nothing more is timed; before each run, untimed, dirty pages
/// are written out and garbage collected; each run's CPU time is read from the kernel's process clock. The last
/// round's output at every parallelism is checked against the sequential implementation's.
/// </remarks>
internal static class ParallelismSweep
{
    /// <summary>Stands for the sequential implementation among the parallelism levels.</summary>
    private const int Sequential = 0;

    /// <returns>A point for each parallelism, in the order given.</returns>
    public static async Task<IReadOnlyList<SweepPoint>> RunAsync(
        IFileTransform transform, PipelineOptions options, IReadOnlyList<int> parallelism, int rounds, string scratch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(parallelism);
        int[] contenders = [Sequential, .. parallelism];
        var measuredRounds = contenders.Select(_ => new List<ComparisonRunner.Sample>()).ToArray();
        var last = new ComparisonRunner.Sample?[contenders.Length];
        string Folder(int round, int i) => Path.Join(scratch, $"{round:D3}-{(contenders[i] == Sequential ? "sequential" : "p" + contenders[i])}");
        for (var round = 0; round <= rounds; round++)
        {
            for (var k = 0; k < contenders.Length; k++)
            {
                var i = (k + round) % contenders.Length;
                // The caller's options, changed for each run (a run copies them when it starts; the caller has no further use for them).
                var run = options;
                run.MaxDegreeOfParallelism = Math.Max(1, contenders[i]);
                run.OutputRoot = Folder(round, i);
                run.Journal = false;
                run.Resume = false;
                last[i] = await ComparisonRunner.MeasureAsync(contenders[i] == Sequential
                    ? () => Task.Factory.StartNew(() => SequentialRunner.RunAsync(transform, run, null, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()
                    : () => DataflowRunner.RunAsync(transform, run, null, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (round > 0)
                {
                    measuredRounds[i].Add(last[i]!);
                }
            }
        }

        var files = last[0]!.Summary.FilesSucceeded;
        var bytes = last[0]!.Summary.BytesIn;
        var measured = measuredRounds.Select(r => ComparisonRunner.Summarize(r, files, bytes)).ToArray();
        return
        [
            .. parallelism.Select((p, j) =>
            {
                var difference = OutputTreeComparer.FindDifference(Folder(rounds, 0), Folder(rounds, j + 1));
                var comparison = new ComparisonResult(transform.Name, files, bytes, last[j + 1]!.Summary.FilesFailed, Environment.ProcessorCount, measured[0], measured[j + 1], difference is null, difference);
                return new SweepPoint(p, comparison);
            }),
        ];
    }
}
