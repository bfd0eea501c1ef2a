using System.Diagnostics;
using Pipeline.Comparing;
using Pipeline.Running;
using Pipeline.Transforms;

namespace Pipeline.Cli.Benchmarking;

/// <summary>The pipeline's throughput at several degrees of parallelism, on the same inputs.</summary>
/// <remarks>
/// Measured as the comparison is, so that its figures can be set against the comparison's sequential rounds: one
/// warm-up at each parallelism, then rounds that visit every parallelism in a rotating order (no level always runs
/// first or last); every run into a new folder under the caller's scratch folder, which the caller removes when
/// nothing more is timed; before each run, untimed, dirty pages written out and garbage collected.
/// </remarks>
internal static class ParallelismSweep
{
    /// <returns>A point for each parallelism, in the order given.</returns>
    public static async Task<IReadOnlyList<SweepPoint>> RunAsync(
        IFileTransform transform, PipelineOptions options, ModeMeasurement sequential, IReadOnlyList<int> parallelism, int rounds, string scratch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(parallelism);
        var seconds = parallelism.Select(_ => new List<double>()).ToArray();
        var last = new RunSummary?[parallelism.Count];
        for (var round = 0; round <= rounds; round++)
        {
            for (var k = 0; k < parallelism.Count; k++)
            {
                var i = (k + round) % parallelism.Count;
                var run = options with
                {
                    MaxDegreeOfParallelism = parallelism[i],
                    OutputRoot = Path.Join(scratch, $"{round:D3}-p{parallelism[i]}"),
                    Journal = false,
                    Resume = false,
                };
                Writeback.Settle();
                var started = Stopwatch.GetTimestamp();
                last[i] = await FilePipeline.RunAsync(transform, run, null, cancellationToken).ConfigureAwait(false);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
                cancellationToken.ThrowIfCancellationRequested();
                if (round > 0)
                {
                    seconds[i].Add(elapsed);
                }
            }
        }

        return [.. parallelism.Select((p, i) =>
        {
            var sorted = seconds[i].Order().ToArray();
            var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
            var measurement = new ModeMeasurement(seconds[i], median, last[i]!.FilesSucceeded / median, last[i]!.BytesIn / 1e6 / median, 0, 0);
            return new SweepPoint(p, measurement, sequential);
        })];
    }
}
