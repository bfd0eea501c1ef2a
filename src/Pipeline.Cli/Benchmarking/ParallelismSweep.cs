using System.Diagnostics;
using Pipeline.Comparing;
using Pipeline.Running;
using Pipeline.Transforms;

namespace Pipeline.Cli.Benchmarking;

/// <summary>The pipeline's throughput at several degrees of parallelism, on the same inputs, against the sequential implementation.</summary>
/// <remarks>
/// Measured as the comparison is: the sequential implementation and the pipeline at every parallelism each get one
/// warm-up, then rounds that run each of them once in a rotating order (none always runs first or last), so every
/// speedup sets rounds against rounds timed under the same conditions; every run writes into a new folder under the
/// caller's scratch folder, which the caller removes when nothing more is timed; before each run, untimed, dirty pages
/// are written out and garbage collected.
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
        var seconds = contenders.Select(_ => new List<double>()).ToArray();
        var last = new RunSummary?[contenders.Length];
        for (var round = 0; round <= rounds; round++)
        {
            for (var k = 0; k < contenders.Length; k++)
            {
                var i = (k + round) % contenders.Length;
                var run = options with
                {
                    MaxDegreeOfParallelism = Math.Max(1, contenders[i]),
                    OutputRoot = Path.Join(scratch, $"{round:D3}-{(contenders[i] == Sequential ? "sequential" : "p" + contenders[i])}"),
                    Journal = false,
                    Resume = false,
                };
                Writeback.Settle();
                var started = Stopwatch.GetTimestamp();
                last[i] = contenders[i] == Sequential
                    ? await Task.Factory.StartNew(() => SequentialRunner.RunAsync(transform, run, null, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap().ConfigureAwait(false)
                    : await FilePipeline.RunAsync(transform, run, null, cancellationToken).ConfigureAwait(false);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
                cancellationToken.ThrowIfCancellationRequested();
                if (round > 0)
                {
                    seconds[i].Add(elapsed);
                }
            }
        }

        var measured = contenders.Select((_, i) => Measure(seconds[i], last[i]!)).ToArray();
        return [.. parallelism.Select((p, i) => new SweepPoint(p, measured[i + 1], measured[0]))];
    }

    private static ModeMeasurement Measure(List<double> seconds, RunSummary summary)
    {
        var sorted = seconds.Order().ToArray();
        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        return new ModeMeasurement(seconds, median, summary.FilesSucceeded / median, summary.BytesIn / 1e6 / median, 0, 0);
    }
}
