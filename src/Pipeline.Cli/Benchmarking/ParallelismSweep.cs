using System.Diagnostics;
using Pipeline.Comparing;
using Pipeline.Running;
using Pipeline.Transforms;

namespace Pipeline.Cli.Benchmarking;

/// <summary>The pipeline's throughput at several degrees of parallelism, on the same inputs.</summary>
internal static class ParallelismSweep
{
    /// <summary>Runs the pipeline at each parallelism (one warm-up, then <paramref name="rounds"/> measured runs each, into temporary outputs).</summary>
    /// <returns>Parallelism and the median measurement at it, in the order given.</returns>
    public static async Task<IReadOnlyList<(int Parallelism, ModeMeasurement Measurement)>> RunAsync(
        IFileTransform transform, PipelineOptions options, IReadOnlyList<int> parallelism, int rounds = 3, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(parallelism);
        var scratch = Path.Join(Path.GetTempPath(), "pipeline-sweep-" + Guid.NewGuid().ToString("N")[..12]);
        var results = new List<(int, ModeMeasurement)>();
        try
        {
            foreach (var p in parallelism)
            {
                var run = options with { MaxDegreeOfParallelism = p, OutputRoot = Path.Join(scratch, "out"), Journal = false, Resume = false };
                var seconds = new List<double>();
                RunSummary? last = null;
                for (var round = 0; round <= rounds; round++)
                {
                    var started = Stopwatch.GetTimestamp();
                    last = await FilePipeline.RunAsync(transform, run, null, cancellationToken).ConfigureAwait(false);
                    if (round > 0)
                    {
                        seconds.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
                    }

                    Directory.Delete(run.OutputRoot, recursive: true);
                    Writeback.Flush();
                }

                var median = seconds.Order().ElementAt(seconds.Count / 2);
                results.Add((p, new ModeMeasurement(seconds, median, last!.FilesSucceeded / median, last.BytesIn / 1e6 / median, 0, 0)));
            }
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }

        return results;
    }
}
