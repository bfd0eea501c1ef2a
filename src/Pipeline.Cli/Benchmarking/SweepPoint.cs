using Pipeline.Cli.Comparing;

namespace Pipeline.Cli.Benchmarking;

/// <summary>
/// The pipeline at one degree of parallelism, against the sequential rounds timed in the same rounds of the sweep: a
/// comparison of its own, so that a point is judged (too short to time, suspect above the cores) as <c>compare</c> is.
/// </summary>
/// <param name="Parallelism">The pipeline's <c>-p</c>.</param>
/// <param name="Comparison">The sequential rounds of the sweep against the pipeline's rounds at <paramref name="Parallelism"/>.</param>
internal sealed record SweepPoint(int Parallelism, ComparisonResult Comparison)
{
    /// <summary>The pipeline's rounds at this parallelism.</summary>
    public ModeMeasurement Measurement => Comparison.Pipeline;

    /// <summary>Sequential median over this point's median.</summary>
    public double Speedup => Comparison.Speedup;

    /// <summary>Fastest sequential round over this point's slowest round.</summary>
    public double SpeedupLow => Comparison.SpeedupLow;

    /// <summary>Slowest sequential round over this point's fastest round.</summary>
    public double SpeedupHigh => Comparison.SpeedupHigh;

    /// <summary>
    /// Cores the pipeline kept busy, on average: its CPU time over its wall time at the median. Above <see cref="Parallelism"/>
    /// when reading and writing (system calls: open, create, rename) ran on other cores beside the CPU stage.
    /// </summary>
    public double CoresBusy => Measurement.MedianSeconds > 0 ? Measurement.CpuSeconds / Measurement.MedianSeconds : 0;

    /// <summary>Whether even <see cref="SpeedupLow"/> is more than the machine's cores can give (and the rounds were long enough to time).</summary>
    public bool IsSuspect => Comparison.IsBeyondCores && !Comparison.IsTooShortToTime;
}
