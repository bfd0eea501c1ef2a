namespace Pipeline.Cli.Comparing;

/// <summary>How one implementation (sequential or pipeline) did over the measured rounds of a comparison.</summary>
/// <param name="RoundSeconds">Wall-clock seconds of each measured round, in the order they ran.</param>
/// <param name="MedianSeconds">Median of <paramref name="RoundSeconds"/>.</param>
/// <param name="FilesPerSecond">Files divided by the median seconds.</param>
/// <param name="MegabytesPerSecond">Input megabytes (10^6 bytes) divided by the median seconds.</param>
/// <param name="CpuSeconds">Median CPU time (user + system, every thread of the process) during a round, read from the kernel's
/// nanosecond clock where there is one (Linux), so short rounds get a true figure too.</param>
/// <param name="PeakWorkingSetBytes">Largest peak working set seen during this implementation's rounds.</param>
internal sealed record ModeMeasurement(
    IReadOnlyList<double> RoundSeconds,
    double MedianSeconds,
    double FilesPerSecond,
    double MegabytesPerSecond,
    double CpuSeconds,
    long PeakWorkingSetBytes)
{
    /// <summary>
    /// How many cores other processes kept busy, on average, during this implementation's measured rounds: the
    /// machine's busy CPU time (every core, from <c>/proc/stat</c>) minus this process's, over the rounds' wall time.
    /// 0.9 means other work took nearly one core the whole time. <see langword="null"/> where the machine's CPU time
    /// cannot be read (not Linux). Counted in the kernel's 10 ms ticks, so it is coarse for rounds of a few milliseconds.
    /// </summary>
    public double? OtherCoresBusy { get; init; }

    /// <summary>The fastest round's seconds (the median's when there are no rounds).</summary>
    public double MinSeconds => RoundSeconds.Count > 0 ? RoundSeconds.Min() : MedianSeconds;

    /// <summary>The slowest round's seconds (the median's when there are no rounds).</summary>
    public double MaxSeconds => RoundSeconds.Count > 0 ? RoundSeconds.Max() : MedianSeconds;
}
