namespace Pipeline.Cli.Comparing;

/// <summary>The sequential implementation against the pipeline on the same inputs.</summary>
/// <param name="Transform">The transform's name.</param>
/// <param name="Files">Files processed per round.</param>
/// <param name="Bytes">Input bytes per round.</param>
/// <param name="FilesFailed">Files that failed (in the pipeline's last round).</param>
/// <param name="Cores">Logical cores of the machine.</param>
/// <param name="Sequential">The sequential implementation's measurements.</param>
/// <param name="Pipeline">The pipeline's measurements.</param>
/// <param name="Identical">Whether both wrote byte-identical output trees.</param>
/// <param name="Difference">The first difference found, when not identical.</param>
internal sealed record ComparisonResult(
    string Transform,
    int Files,
    long Bytes,
    int FilesFailed,
    int Cores,
    ModeMeasurement Sequential,
    ModeMeasurement Pipeline,
    bool Identical,
    string? Difference)
{
    /// <summary>
    /// Rounds shorter than this (10 ms) are too short to time: the start of the pipeline's blocks, the thread pool's
    /// wake-ups and one scheduler tick on a busy machine are then a large part of each round, and the speedup is noise.
    /// </summary>
    public static readonly TimeSpan ShortestTimedRound = TimeSpan.FromMilliseconds(10);

    /// <summary>Sequential median seconds divided by pipeline median seconds.</summary>
    public double Speedup => Ratio(Sequential.MedianSeconds, Pipeline.MedianSeconds);

    /// <summary>The lowest speedup the rounds allow: the slowest pipeline round against the fastest sequential round.</summary>
    public double SpeedupLow => Ratio(Sequential.MinSeconds, Pipeline.MaxSeconds);

    /// <summary>The highest speedup the rounds allow: the fastest pipeline round against the slowest sequential round.</summary>
    public double SpeedupHigh => Ratio(Sequential.MaxSeconds, Pipeline.MinSeconds);

    /// <summary><see cref="Speedup"/> divided by <see cref="Cores"/>: 1.0 is perfect use of every core.</summary>
    public double Efficiency => Cores > 0 ? Speedup / Cores : 0;

    /// <summary>
    /// Whether even <see cref="SpeedupLow"/> is more than <see cref="Cores"/> can give: an efficiency above 1.0 beyond the
    /// rounds' spread, which the cores cannot explain (waiting for I/O that the pipeline overlaps, or the two modes not
    /// measured under the same conditions).
    /// </summary>
    public bool IsBeyondCores => Cores > 0 && SpeedupLow > Cores;

    /// <summary>Whether the median round of either implementation is shorter than <see cref="ShortestTimedRound"/>.</summary>
    public bool IsTooShortToTime => Math.Min(Sequential.MedianSeconds, Pipeline.MedianSeconds) < ShortestTimedRound.TotalSeconds;

    /// <summary>
    /// Below this many cores kept busy by other processes (0.25), other work is not worth a word: the background noise of
    /// a desktop or a build agent. See <see cref="IsSlowedByOtherWork"/>.
    /// </summary>
    public const double OtherCoresWorthNoting = 0.25;

    /// <summary>
    /// How many cores other processes kept busy, on average, during the measured rounds of both implementations (see
    /// <see cref="ModeMeasurement.OtherCoresBusy"/>); <see langword="null"/> where it cannot be measured (not Linux).
    /// </summary>
    public double? OtherCoresBusy =>
        Sequential.OtherCoresBusy is { } sequential && Pipeline.OtherCoresBusy is { } pipeline
            ? Weighted(sequential, Sequential.RoundSeconds.Sum(), pipeline, Pipeline.RoundSeconds.Sum())
            : null;

    /// <summary>
    /// Whether other processes took enough of the machine during the rounds to matter: at least
    /// <see cref="OtherCoresWorthNoting"/> cores and at least a tenth of <see cref="Cores"/>. The pipeline wants every
    /// core and the sequential run one, so such work slows the pipeline more and the speedup understates it.
    /// </summary>
    public bool IsSlowedByOtherWork => OtherCoresBusy is { } others && others >= Math.Max(OtherCoresWorthNoting, 0.1 * Cores);

    private static double Weighted(double a, double aSeconds, double b, double bSeconds) =>
        aSeconds + bSeconds > 0 ? ((a * aSeconds) + (b * bSeconds)) / (aSeconds + bSeconds) : (a + b) / 2;

    private static double Ratio(double sequential, double pipeline) => pipeline > 0 ? sequential / pipeline : 0;
}
