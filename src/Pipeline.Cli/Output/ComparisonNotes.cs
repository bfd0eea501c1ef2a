using Pipeline.Cli.Comparing;

namespace Pipeline.Cli.Output;

/// <summary>
/// What a reader must know before believing a comparison: that its rounds were too short to time, that its efficiency
/// is above what the cores can give (suspect, with the likely reason), or that the sequential run was faster.
/// </summary>
internal static class ComparisonNotes
{
    /// <summary>Below this share of its wall time on the CPU, the sequential run was mostly waiting (for I/O, say).</summary>
    private const double BusyShare = 0.8;

    /// <summary>The notes on <paramref name="r"/>, each one line; none when the figures need no warning.</summary>
    public static IReadOnlyList<string> For(ComparisonResult r, string? label = null)
    {
        var notes = Verdicts(r, label);
        return OtherWork(r) is { } busy ? [.. notes, (label is null ? string.Empty : label + ": ") + busy] : notes;
    }

    /// <summary>
    /// The plain-words note on other processes' CPU during the rounds, when there was enough to matter
    /// (<see cref="ComparisonResult.IsSlowedByOtherWork"/>); otherwise <see langword="null"/>.
    /// </summary>
    public static string? OtherWork(ComparisonResult r) =>
        r.IsSlowedByOtherWork && r.OtherCoresBusy is { } others
            ? $"other processes kept about {Units.Fixed(others, 1)} of {r.Cores} cores busy during the rounds: this speedup understates the pipeline (it wants every core; the sequential run needs one)"
            : null;

    private static IReadOnlyList<string> Verdicts(ComparisonResult r, string? label)
    {
        var prefix = label is null ? string.Empty : label + ": ";
        if (r.IsTooShortToTime)
        {
            return
            [
                $"{prefix}too small to time: a round took {Figures.Seconds(r.Sequential.MedianSeconds)} (sequential) and {Figures.Seconds(r.Pipeline.MedianSeconds)} (pipeline); "
                + $"below {Figures.Seconds(ComparisonResult.ShortestTimedRound.TotalSeconds)} the start of the threads and the scheduler decide the ratio, not the work, so the speedup means little. "
                + "`pipeline bench` generates a corpus big enough to measure (or compare a larger folder)",
            ];
        }

        if (r.IsBeyondCores)
        {
            return [$"{prefix}suspect: efficiency {Units.Fixed(r.Efficiency, 2)} is above 1.0 beyond the rounds' spread (even the lowest speedup, {Units.Fixed(r.SpeedupLow, 2)}x, is more than {r.Cores} cores can give); likely reason: {LikelyReason(r)}"];
        }

        if (r.SpeedupHigh < 1)
        {
            return [$"{prefix}the sequential run was faster in every round: here the pipeline's hand-offs between its stages cost more than its parallelism gains"];
        }

        return r.SpeedupLow < 1
            ? [$"{prefix}no difference beyond the rounds' spread: the speedup's interval ({Units.Fixed(r.SpeedupLow, 2)}-{Units.Fixed(r.SpeedupHigh, 2)}) holds 1.0"]
            : [];
    }

    private static string LikelyReason(ComparisonResult r)
    {
        var seq = r.Sequential;
        var busy = seq.MedianSeconds > 0 ? seq.CpuSeconds / seq.MedianSeconds : 1;
        if (busy < BusyShare)
        {
            return $"the sequential run was on the CPU only {Units.Fixed(busy * 100, 0)}% of its time (CPU {Figures.Seconds(seq.CpuSeconds)} in {Figures.Seconds(seq.MedianSeconds)}) and waited for I/O the rest, "
                + "which the pipeline overlaps: a real gain, but from overlapping waits, not from the cores";
        }

        if (r.Pipeline.CpuSeconds < seq.CpuSeconds * BusyShare)
        {
            return $"the pipeline used less CPU time for the same work ({Figures.Seconds(r.Pipeline.CpuSeconds)} against {Figures.Seconds(seq.CpuSeconds)}): "
                + "the two did not run under the same conditions (file-system state, caches, or other work on the machine during the sequential rounds)";
        }

        return "other work on the machine during the sequential rounds; rerun with more --rounds when the machine is quiet";
    }
}
