using System.Globalization;
using System.Text;

namespace Pipeline.Cli.Output;

/// <summary>
/// The figures of one progress line: done of the total (files and bytes), the current rates, the time left and the
/// failures so far. <see cref="TotalKnown"/> is false while the total is still being counted: the totals are then
/// what was found so far, and there is no bar and no ETA.
/// </summary>
internal readonly record struct ProgressFigures(
    long FilesDone,
    long FilesTotal,
    long BytesDone,
    long BytesTotal,
    bool TotalKnown,
    double FilesPerSecond,
    double BytesPerSecond,
    TimeSpan? Eta,
    long Failed);

/// <summary>
/// Lays a progress line out for a terminal of a given width: a bar, the percentage, files and bytes done of the total,
/// the rates, the ETA and the failures, never wider than the terminal less one column (a line that reaches the last
/// column makes some terminals wrap, and a wrapped line cannot be redrawn in place). What does not fit is left out,
/// the least useful first: files/s, then the bar, then MB/s, then the bytes.
/// </summary>
internal static class ProgressLine
{
    /// <summary>The bar's narrowest and widest: below the first it says too little to be worth its room.</summary>
    private const int MinBar = 10, MaxBar = 30;

    private const string Gap = "  ";

    /// <param name="figures">What to show.</param>
    /// <param name="width">The terminal's columns.</param>
    /// <param name="unicode">Whether the terminal takes block characters for the bar (else <c>#</c> and <c>-</c>).</param>
    public static string Format(ProgressFigures figures, int width, bool unicode = true)
    {
        var room = Math.Max(1, width - 1);
        var known = figures.TotalKnown;
        var files = $"{Units.Count(figures.FilesDone)}/{Units.Count(figures.FilesTotal)}{(known ? string.Empty : "+")} files";
        var bytes = Size(figures.BytesDone, figures.BytesTotal) + (known ? string.Empty : "+");
        var byteRate = Rate(figures.BytesPerSecond);
        var fileRate = $"{Units.Count((long)Math.Round(figures.FilesPerSecond))} files/s";
        var eta = "ETA " + (figures.Eta is { } left ? Duration(left) : "--");
        var failed = figures.Failed > 0 ? $"{Units.Count(figures.Failed)} failed" : null;
        var fraction = !known ? (double?)null
            : figures.BytesTotal > 0 ? Math.Clamp((double)figures.BytesDone / figures.BytesTotal, 0, 1)
            : figures.FilesTotal > 0 ? Math.Clamp((double)figures.FilesDone / figures.FilesTotal, 0, 1)
            : 1;
        var percent = fraction is { } f ? $"{Math.Floor(f * 100).ToString("0", CultureInfo.InvariantCulture)}%" : null;

        // From the most wanted to the least: each is tried with everything before it that fitted.
        bool withBytes = true, withByteRate = true, withBar = fraction is not null, withFileRate = true;
        string Line(int bar) => Join(
            bar > 0 ? Bar(fraction!.Value, bar, unicode) : null,
            percent,
            files,
            withBytes ? bytes : null,
            withByteRate ? byteRate : null,
            withFileRate ? fileRate : null,
            eta,
            failed);

        // Leave out, in this order, what does not fit: files/s, the bar, MB/s, the bytes.
        if (Line(withBar ? MinBar : 0).Length > room)
        {
            withFileRate = false;
        }

        if (withBar && Line(MinBar).Length > room)
        {
            withBar = false;
        }

        if (Line(withBar ? MinBar : 0).Length > room)
        {
            withByteRate = false;
        }

        if (Line(withBar ? MinBar : 0).Length > room)
        {
            withBytes = false;
        }

        var barWidth = withBar ? Math.Min(MaxBar, MinBar + room - Line(MinBar).Length) : 0;
        var line = Line(barWidth);

        // Still too wide (a terminal a few dozen columns wide): cut, rather than wrap and break the redraw.
        return line.Length <= room ? line : line[..room];
    }

    /// <summary>A second line naming the last failure, cut to the width with an ellipsis (the summary lists them whole).</summary>
    public static string LastError(string error, int width)
    {
        var room = Math.Max(1, width - 1);
        var line = "last error: " + error.ReplaceLineEndings(" ");
        return line.Length <= room ? line : line[..(room - 1)] + "…";
    }

    /// <summary>The time left: <c>42s</c>, <c>3:05</c>, <c>1:02:03</c>.</summary>
    public static string Duration(TimeSpan left)
    {
        var seconds = (long)Math.Ceiling(Math.Max(0, left.TotalSeconds));
        return seconds < 60 ? $"{seconds}s"
            : seconds < 3600 ? $"{seconds / 60}:{seconds % 60:D2}"
            : $"{seconds / 3600}:{seconds / 60 % 60:D2}:{seconds % 60:D2}";
    }

    /// <summary>Bytes done of the total in the total's unit, three significant digits: <c>512/1,204 MB</c>, <c>0.51/1.20 GB</c>.</summary>
    public static string Size(long done, long total)
    {
        var (scale, unit) = UnitOf(Math.Max(done, total));
        return $"{Number(done, scale)}/{Number(total, scale)} {unit}";
    }

    private static string Rate(double bytesPerSecond)
    {
        var (scale, unit) = UnitOf(bytesPerSecond);
        return $"{Number(bytesPerSecond, scale)} {unit}/s";
    }

    /// <summary>Whole bytes as a count; anything larger with three significant digits.</summary>
    private static string Number(double value, double scale) => scale == 1 ? Units.Count((long)Math.Round(value)) : Figures.Scaled(value / scale);

    /// <summary>The decimal unit (as the summary's MB) in which a figure is below 1,000.</summary>
    private static (double Scale, string Unit) UnitOf(double bytes) => bytes switch
    {
        >= 999.5e9 => (1e12, "TB"),
        >= 999.5e6 => (1e9, "GB"),
        >= 999.5e3 => (1e6, "MB"),
        >= 999.5 => (1e3, "kB"),
        _ => (1, "B"),
    };

    private static string Bar(double fraction, int width, bool unicode)
    {
        var inner = width - 2;
        var filled = (int)Math.Floor(fraction * inner);
        return new StringBuilder(width).Append('[')
            .Append(unicode ? '█' : '#', filled)
            .Append(unicode ? '░' : '-', inner - filled)
            .Append(']').ToString();
    }

    private static string Join(params string?[] parts) => string.Join(Gap, parts.Where(p => p is not null));
}
