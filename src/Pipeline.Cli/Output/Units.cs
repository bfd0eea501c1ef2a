using System.Globalization;

namespace Pipeline.Cli.Output;

/// <summary>Number formatting shared by the tables: invariant culture, fixed decimals.</summary>
internal static class Units
{
    public static string Fixed(double value, int decimals) =>
        value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string Megabytes(long bytes) => Fixed(bytes / 1e6, 1);

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
