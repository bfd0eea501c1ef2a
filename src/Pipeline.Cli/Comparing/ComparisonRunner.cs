using System.Diagnostics;
using System.Runtime;
using Pipeline.IO;
using Pipeline.Running;
using Pipeline.Transforms;

namespace Pipeline.Cli.Comparing;

/// <summary>
/// Runs the sequential implementation and the pipeline in interleaved rounds on the same inputs and checks that they
/// wrote the same bytes. Nothing favours either: both get the same warm-up rounds (repeated until the JIT has settled,
/// see <see cref="MaxWarmUps"/>); the order alternates from round to round
/// (sequential first, then pipeline first, ...); every run writes into a new folder, and no output is deleted until
/// the last round is over; before every run, untimed, dirty pages are written out and the garbage of the previous run
/// is collected.
/// </summary>
/// <remarks>
/// Measurement machinery of the command line's own (<c>compare</c>, <c>bench</c>), not of the library: an embedder runs
/// one of the two runners and has no use for timing them against each other. It drives both through the library's public
/// API only, as any embedder would.
/// </remarks>
internal static class ComparisonRunner
{
    /// <summary>Most measured rounds allowed.</summary>
    public const int MaxRounds = 100;

    /// <summary>Compares the two implementations of <paramref name="transform"/>, writing into a temporary folder removed at the end.</summary>
    /// <param name="transform">The transform both run.</param>
    /// <param name="options">Selection and concurrency; its output root is ignored (each run writes to a new temporary folder).</param>
    /// <param name="rounds">Measured rounds of each, after the warm-up rounds (see <see cref="MaxWarmUps"/>). Default: 3. Range: 1 to <see cref="MaxRounds"/>.</param>
    /// <param name="cancellationToken">Stops the comparison; temporary outputs are still removed.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rounds"/> is out of range.</exception>
    /// <exception cref="PipelineOptionsException">The options are invalid.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static Task<ComparisonResult> RunAsync(IFileTransform transform, PipelineOptions options, int rounds = 3, CancellationToken cancellationToken = default) =>
        RunAsync(transform, options, new ComparisonOptions { Rounds = rounds }, cancellationToken);

    /// <summary>Compares the two implementations of <paramref name="transform"/>.</summary>
    /// <param name="transform">The transform both run.</param>
    /// <param name="options">Selection and concurrency; its output root is ignored (each run writes to a new folder of its own).</param>
    /// <param name="comparison">Rounds, and where the runs write.</param>
    /// <param name="cancellationToken">Stops the comparison; a temporary scratch folder is still removed.</param>
    /// <exception cref="PipelineOptionsException">The options are invalid.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static Task<ComparisonResult> RunAsync(IFileTransform transform, PipelineOptions options, ComparisonOptions comparison, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(comparison);
        var id = Guid.NewGuid().ToString("N")[..12];
        var scratch = comparison.ScratchFolder is { } given ? Path.Join(Path.GetFullPath(given), "compare-" + id) : TempFolder.NewPath("pipeline-compare-");

        // Each run writes a fresh folder: no journal, lock or resume, which would also make the trees differ.
        // The caller's options, changed for the comparison: each run copies them when it starts.
        options.OutputRoot = Path.Join(scratch, "check");
        options.Journal = false;
        options.Resume = false;
        options.Validate();
        return RunCoreAsync(transform, options, comparison.Rounds, scratch, removeScratch: comparison.ScratchFolder is null, cancellationToken);
    }

    /// <summary>The output folder of one run: a new one for every run, so no run writes where another has just deleted.</summary>
    internal static string RunFolder(string scratch, int round, bool sequential) => Path.Join(scratch, $"{round:D3}-{(sequential ? "sequential" : "pipeline")}");

    /// <summary>Whether the sequential implementation runs first in <paramref name="round"/>: it alternates, so neither always follows the other.</summary>
    internal static bool SequentialFirst(int round) => round % 2 == 0;

    private static async Task<ComparisonResult> RunCoreAsync(IFileTransform transform, PipelineOptions options, int rounds, string scratch, bool removeScratch, CancellationToken cancellationToken)
    {
        var sequentialRounds = new List<Sample>();
        var pipelineRounds = new List<Sample>();
        try
        {
            // Warm-up rounds (JIT, pools, page cache) are not measured. They repeat while the JIT is still compiling:
            // with tiered compilation, hot methods are compiled again in the background for a while, and a round that
            // runs beside that work is slowed by it, the pipeline (which wants every core) more than the sequential run.
            for (var warmUp = 1; ; warmUp++)
            {
                var jitTime = JitInfo.GetCompilationTime();
                var started = Stopwatch.GetTimestamp();
                await RoundAsync(transform, options, WarmUpFolder(scratch, warmUp), sequentialFirst: true, null, null, cancellationToken).ConfigureAwait(false);
                if ((JitInfo.GetCompilationTime() - jitTime).TotalSeconds <= SettledJitShare * Stopwatch.GetElapsedTime(started).TotalSeconds || warmUp == MaxWarmUps)
                {
                    break;
                }
            }

            Sample? lastPipeline = null;
            for (var round = 1; round <= rounds; round++)
            {
                lastPipeline = await RoundAsync(transform, options, folder => RunFolder(scratch, round, folder), SequentialFirst(round), sequentialRounds, pipelineRounds, cancellationToken).ConfigureAwait(false);
            }

            var difference = OutputTreeComparer.FindDifference(RunFolder(scratch, rounds, sequential: true), RunFolder(scratch, rounds, sequential: false));
            var files = lastPipeline!.Summary.FilesSucceeded;
            var bytes = lastPipeline.Summary.BytesIn;
            return new ComparisonResult(
                transform.Name,
                files,
                bytes,
                lastPipeline.Summary.FilesFailed,
                Environment.ProcessorCount,
                Summarize(sequentialRounds, files, bytes),
                Summarize(pipelineRounds, files, bytes),
                difference is null,
                difference);
        }
        finally
        {
            // Only now, with every round timed: deleting earlier outputs between rounds slowed the next round's file creation.
            if (removeScratch && Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    /// <summary>Most warm-up rounds, however long the JIT keeps compiling.</summary>
    internal const int MaxWarmUps = 8;

    /// <summary>The JIT counts as settled once it compiled for at most this share of a warm-up round's time.</summary>
    internal const double SettledJitShare = 0.03;

    /// <summary>The output folders of the warm-up rounds: new ones too, apart from the measured rounds'.</summary>
    private static Func<bool, string> WarmUpFolder(string scratch, int warmUp) =>
        sequential => Path.Join(scratch, $"warm-up-{warmUp}-{(sequential ? "sequential" : "pipeline")}");

    /// <summary>One run of each mode, in the given order, each into its own new folder; the samples are added to the lists given. Returns the pipeline's.</summary>
    private static async Task<Sample> RoundAsync(IFileTransform transform, PipelineOptions options, Func<bool, string> folder, bool sequentialFirst, List<Sample>? sequentialRounds, List<Sample>? pipelineRounds, CancellationToken cancellationToken)
    {
        Sample? pipeline = null;
        foreach (var sequential in sequentialFirst ? (bool[])[true, false] : [false, true])
        {
            options.OutputRoot = folder(sequential); // each run copies the options when it starts
            var sample = await MeasureAsync(sequential
                ? () => Task.Factory.StartNew(
                    () => SequentialRunner.RunAsync(transform, options, null, cancellationToken),
                    cancellationToken,
                    TaskCreationOptions.LongRunning,
                    TaskScheduler.Default).Unwrap()
                : () => DataflowRunner.RunAsync(transform, options, null, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (sequential)
            {
                sequentialRounds?.Add(sample);
            }
            else
            {
                pipeline = sample;
                pipelineRounds?.Add(sample);
            }
        }

        return pipeline!;
    }

    /// <summary>One timed run, after settling (see <see cref="ProcessResources.Settle"/>): its wall and CPU seconds, peak working set and summary.</summary>
    internal static async Task<Sample> MeasureAsync(Func<Task<RunSummary>> run)
    {
        ProcessResources.Settle();
        ProcessResources.ResetPeak();
        var machine = ProcessResources.MachineBusyTime();
        var cpu = ProcessResources.CpuTime();
        var started = Stopwatch.GetTimestamp();
        var summary = await run().ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuSeconds = (ProcessResources.CpuTime() - cpu).TotalSeconds;
        var machineAfter = ProcessResources.MachineBusyTime();

        // What the rest of the machine took: every core's busy time minus our own. The kernel counts the first in 10 ms
        // ticks, so a short round can come out a little below zero: that is none.
        double? otherCpuSeconds = machine is { } before && machineAfter is { } after ? Math.Max(0, (after - before).TotalSeconds - cpuSeconds) : null;
        return new Sample(seconds, cpuSeconds, ProcessResources.PeakWorkingSet(), summary) { OtherCpuSeconds = otherCpuSeconds };
    }

    /// <summary>The rounds of one mode: their seconds, the median's throughput, the median CPU time, the largest peak.</summary>
    internal static ModeMeasurement Summarize(IReadOnlyList<Sample> samples, int files, long bytes)
    {
        var median = Median(samples.Select(s => s.Seconds));
        return new ModeMeasurement(
            [.. samples.Select(s => s.Seconds)],
            median,
            median > 0 ? files / median : 0,
            median > 0 ? bytes / 1e6 / median : 0,
            Median(samples.Select(s => s.CpuSeconds)),
            samples.Max(s => s.PeakWorkingSet))
        {
            // Over all the rounds, not a median: one round's reading is a few clock ticks, too coarse alone. Rounds of a
            // few milliseconds can still read more ticks than there was time (2.2 of 2 cores, seen): never more than the cores.
            OtherCoresBusy = samples.Count > 0 && samples.All(s => s.OtherCpuSeconds is not null) && samples.Sum(s => s.Seconds) > 0
                ? Math.Min(samples.Sum(s => s.OtherCpuSeconds!.Value) / samples.Sum(s => s.Seconds), Environment.ProcessorCount)
                : null,
        };
    }

    /// <summary>The median; the mean of the middle two for an even count.</summary>
    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    internal sealed record Sample(double Seconds, double CpuSeconds, long PeakWorkingSet, RunSummary Summary)
    {
        /// <summary>CPU seconds the rest of the machine took during the run; <see langword="null"/> where it cannot be measured.</summary>
        public double? OtherCpuSeconds { get; init; }
    }
}
