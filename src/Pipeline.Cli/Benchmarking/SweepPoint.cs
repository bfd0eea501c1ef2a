using Pipeline.Comparing;

namespace Pipeline.Cli.Benchmarking;

/// <summary>The pipeline at one degree of parallelism, against the sequential rounds timed in the same rounds of the sweep.</summary>
/// <param name="Parallelism">The pipeline's <c>-p</c>.</param>
/// <param name="Measurement">The pipeline's rounds at it.</param>
/// <param name="Sequential">The sequential implementation's rounds in the sweep, the baseline of the speedup.</param>
internal sealed record SweepPoint(int Parallelism, ModeMeasurement Measurement, ModeMeasurement Sequential)
{
    /// <summary>Sequential median over this point's median.</summary>
    public double Speedup => Ratio(Sequential.MedianSeconds, Measurement.MedianSeconds);

    /// <summary>Fastest sequential round over this point's slowest round.</summary>
    public double SpeedupLow => Ratio(Sequential.MinSeconds, Measurement.MaxSeconds);

    /// <summary>Slowest sequential round over this point's fastest round.</summary>
    public double SpeedupHigh => Ratio(Sequential.MaxSeconds, Measurement.MinSeconds);

    private static double Ratio(double sequential, double pipeline) => pipeline > 0 ? sequential / pipeline : 0;
}
