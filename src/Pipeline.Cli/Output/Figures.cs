using Pipeline.Cli.Benchmarking;
using Pipeline.Cli.Comparing;

namespace Pipeline.Cli.Output;

/// <summary>
/// How a measured figure is printed: never alone, always with the spread of the rounds it comes from (the fastest and
/// the slowest round), in a unit that suits its size, so a 1 ms round does not read 0.00 and a reader can tell a gain
/// from noise.
/// </summary>
internal static class Figures
{
    /// <summary>A duration in s, ms or µs with three significant digits: <c>1.23 s</c>, <c>245 ms</c>, <c>3.41 ms</c>.</summary>
    public static string Seconds(double seconds)
    {
        var (scale, unit) = UnitFor(seconds);
        return Scaled(seconds * scale) + " " + unit;
    }

    /// <summary>The median with the fastest and the slowest round in the median's unit: <c>245 ms (240-262)</c>.</summary>
    public static string SecondsWithSpread(ModeMeasurement m)
    {
        var (scale, unit) = UnitFor(m.MedianSeconds);
        return $"{Scaled(m.MedianSeconds * scale)} {unit} ({Scaled(m.MinSeconds * scale)}-{Scaled(m.MaxSeconds * scale)})";
    }

    /// <summary>Megabytes per second at the median, with the range the slowest and the fastest round give: <c>212 MB/s (198-220)</c>.</summary>
    public static string ThroughputWithSpread(ModeMeasurement m, long bytes) =>
        $"{Scaled(m.MegabytesPerSecond)} MB/s ({Scaled(PerSecond(bytes, m.MaxSeconds))}-{Scaled(PerSecond(bytes, m.MinSeconds))})";

    /// <summary>The speedup with its interval: <c>1.85x (1.70-1.98)</c>.</summary>
    public static string Speedup(double speedup, double low, double high) => $"{Units.Fixed(speedup, 2)}x ({Units.Fixed(low, 2)}-{Units.Fixed(high, 2)})";

    public static string Speedup(ComparisonResult r) => Speedup(r.Speedup, r.SpeedupLow, r.SpeedupHigh);

    public static string Speedup(SweepPoint p) => Speedup(p.Speedup, p.SpeedupLow, p.SpeedupHigh);

    /// <summary>Megabytes (10^6 bytes) per second over <paramref name="seconds"/>.</summary>
    public static double PerSecond(long bytes, double seconds) => seconds > 0 ? bytes / 1e6 / seconds : 0;

    /// <summary>Three significant digits, at most three decimals, judged after rounding: <c>1.23</c>, <c>12.3</c>, <c>245</c>, <c>1412</c>, <c>1.00</c> for 0.9997.</summary>
    public static string Scaled(double value) =>
        Units.Fixed(value, Math.Abs(value) switch { >= 99.95 => 0, >= 9.995 => 1, >= 0.9995 => 2, _ => 3 });

    /// <summary>The unit of a duration, judged after rounding to three digits: 0.9996 s is "1.00 s", not "1000 ms".</summary>
    private static (double Scale, string Unit) UnitFor(double seconds) => Math.Abs(seconds) switch
    {
        >= 0.9995 => (1, "s"),
        >= 0.9995e-3 => (1e3, "ms"),
        _ => (1e6, "µs"),
    };
}
