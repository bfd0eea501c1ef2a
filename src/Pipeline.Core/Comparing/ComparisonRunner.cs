using System.Diagnostics;
using Pipeline.Running;
using Pipeline.Transforms;

namespace Pipeline.Comparing;

/// <summary>
/// Runs the sequential implementation and the pipeline alternately on the same inputs, each into a fresh
/// temporary output that is removed afterwards, and checks that they wrote the same bytes.
/// </summary>
public static class ComparisonRunner
{
    /// <summary>Most measured rounds allowed.</summary>
    public const int MaxRounds = 100;

    /// <summary>Compares the two implementations of <paramref name="transform"/>.</summary>
    /// <param name="transform">The transform both run.</param>
    /// <param name="options">Selection and concurrency; its output root is ignored (each run writes to a new temporary folder).</param>
    /// <param name="rounds">Measured rounds of each, after one warm-up of each. Default: 3. Range: 1 to <see cref="MaxRounds"/>.</param>
    /// <param name="cancellationToken">Stops the comparison; temporary outputs are still removed.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rounds"/> is out of range.</exception>
    /// <exception cref="PipelineOptionsException">The options are invalid.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static Task<ComparisonResult> RunAsync(IFileTransform transform, PipelineOptions options, int rounds = 3, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rounds, MaxRounds);
        var scratch = Path.Join(Path.GetTempPath(), "pipeline-compare-" + Guid.NewGuid().ToString("N")[..12]);
        // Each run writes a fresh temporary folder: no journal, lock or resume, which would also make the trees differ.
        options = options with { OutputRoot = Path.Join(scratch, "check"), Journal = false, Resume = false };
        options.Validate();
        return RunCoreAsync(transform, options, rounds, scratch, cancellationToken);
    }

    private static async Task<ComparisonResult> RunCoreAsync(IFileTransform transform, PipelineOptions options, int rounds, string scratch, CancellationToken cancellationToken)
    {
        var sequentialRounds = new List<Sample>();
        var pipelineRounds = new List<Sample>();
        try
        {
            var sequentialOut = Path.Join(scratch, "sequential");
            var pipelineOut = Path.Join(scratch, "pipeline");
            RunSummary? last = null;
            for (var round = 0; round <= rounds; round++)
            {
                // Round 0 is the warm-up of each (JIT, page cache); it is not measured.
                var sequential = await MeasureAsync(
                    () => Task.Factory.StartNew(
                        () => SequentialRunner.RunAsync(transform, options with { OutputRoot = sequentialOut }, null, cancellationToken),
                        cancellationToken,
                        TaskCreationOptions.LongRunning,
                        TaskScheduler.Default).Unwrap()).ConfigureAwait(false);
                var pipelined = await MeasureAsync(
                    () => FilePipeline.RunAsync(transform, options with { OutputRoot = pipelineOut }, null, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                last = pipelined.Summary;
                if (round > 0)
                {
                    sequentialRounds.Add(sequential);
                    pipelineRounds.Add(pipelined);
                }

                if (round < rounds)
                {
                    Clean(sequentialOut);
                    Clean(pipelineOut);
                    ProcessResources.FlushFileSystems();
                }
            }

            var difference = OutputTreeComparer.FindDifference(sequentialOut, pipelineOut);
            var files = last!.FilesSucceeded;
            var bytes = last.BytesIn;
            return new ComparisonResult(
                transform.Name,
                files,
                bytes,
                last.FilesFailed,
                Environment.ProcessorCount,
                Summarize(sequentialRounds, files, bytes),
                Summarize(pipelineRounds, files, bytes),
                difference is null,
                difference);
        }
        finally
        {
            Clean(scratch);
        }
    }

    private static async Task<Sample> MeasureAsync(Func<Task<RunSummary>> run)
    {
        ProcessResources.ResetPeak();
        var cpu = ProcessResources.CpuTime();
        var started = Stopwatch.GetTimestamp();
        var summary = await run().ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuSeconds = (ProcessResources.CpuTime() - cpu).TotalSeconds;
        return new Sample(seconds, cpuSeconds, ProcessResources.PeakWorkingSet(), summary);
    }

    private static ModeMeasurement Summarize(List<Sample> samples, int files, long bytes)
    {
        var median = Median(samples.Select(s => s.Seconds));
        return new ModeMeasurement(
            [.. samples.Select(s => s.Seconds)],
            median,
            median > 0 ? files / median : 0,
            median > 0 ? bytes / 1e6 / median : 0,
            Median(samples.Select(s => s.CpuSeconds)),
            samples.Max(s => s.PeakWorkingSet));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static void Clean(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed record Sample(double Seconds, double CpuSeconds, long PeakWorkingSet, RunSummary Summary);
}
