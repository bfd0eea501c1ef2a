using System.Globalization;
using System.Security;
using System.Text;
using Pipeline.Comparing;

namespace Pipeline.Cli.Output;

/// <summary>
/// A hand-written SVG of a bench run: throughput per transform, sequential against pipeline, with the speedup;
/// and, after a parallelism sweep, throughput against parallelism. No plotting package needed.
/// </summary>
internal static class BenchChart
{
    private const int Width = 900;
    private const int PanelHeight = 360;
    private static readonly string[] Colors = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948"];

    public static string Render(IReadOnlyList<ComparisonResult> rows, IReadOnlyList<(string Transform, IReadOnlyList<(int Parallelism, ModeMeasurement Measurement)> Points)> sweep)
    {
        var height = PanelHeight + (sweep.Count > 0 ? PanelHeight : 0) + 20;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{height}\" fill=\"white\"/>\n");
        Bars(svg, rows);
        if (sweep.Count > 0)
        {
            Lines(svg, sweep, PanelHeight + 20);
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Bars(StringBuilder svg, IReadOnlyList<ComparisonResult> rows)
    {
        const int left = 70, top = 40, plotHeight = PanelHeight - 100;
        Text(svg, Width / 2, 22, "Throughput, sequential vs pipeline (MB/s; label: speedup)", "middle", 15);
        var max = Math.Max(1, rows.Count == 0 ? 1 : rows.Max(r => Math.Max(r.Sequential.MegabytesPerSecond, r.Pipeline.MegabytesPerSecond)));
        Axis(svg, left, top, plotHeight, max, "MB/s");
        var group = (Width - left - 40) / Math.Max(1, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var x = left + (i * group) + (group / 6);
            var bar = group / 3;
            BarAt(svg, x, top, plotHeight, r.Sequential.MegabytesPerSecond / max, bar, Colors[0]);
            BarAt(svg, x + bar, top, plotHeight, r.Pipeline.MegabytesPerSecond / max, bar, Colors[1]);
            var peak = top + plotHeight - (plotHeight * Math.Max(r.Sequential.MegabytesPerSecond, r.Pipeline.MegabytesPerSecond) / max);
            Text(svg, x + bar, peak - 6, $"{r.Speedup:0.00}x", "middle", 13);
            Text(svg, x + bar, top + plotHeight + 18, r.Transform, "middle", 13);
        }

        Legend(svg, left, PanelHeight - 30, [("sequential", Colors[0]), ("pipeline", Colors[1])]);
    }

    private static void Lines(StringBuilder svg, IReadOnlyList<(string Transform, IReadOnlyList<(int Parallelism, ModeMeasurement Measurement)> Points)> sweep, int offset)
    {
        const int left = 70, plotHeight = PanelHeight - 100;
        var top = offset + 40;
        Text(svg, Width / 2, offset + 22, "Pipeline throughput against parallelism (MB/s)", "middle", 15);
        var max = Math.Max(1, sweep.SelectMany(s => s.Points).Max(p => p.Measurement.MegabytesPerSecond));
        var levels = sweep.SelectMany(s => s.Points).Select(p => p.Parallelism).Distinct().Order().ToList();
        Axis(svg, left, top, plotHeight, max, "MB/s");
        var plotWidth = Width - left - 60;
        double X(int p) => left + (levels.Count == 1 ? plotWidth / 2.0 : plotWidth * levels.IndexOf(p) / (double)(levels.Count - 1));
        foreach (var p in levels)
        {
            Text(svg, X(p), top + plotHeight + 18, p.ToString(CultureInfo.InvariantCulture), "middle", 12);
        }

        for (var i = 0; i < sweep.Count; i++)
        {
            var color = Colors[(i + 2) % Colors.Length];
            var points = string.Join(' ', sweep[i].Points.Select(p => Point(X(p.Parallelism), top + plotHeight - (plotHeight * p.Measurement.MegabytesPerSecond / max))));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{points}\"/>\n");
        }

        Legend(svg, left, offset + PanelHeight - 30, [.. sweep.Select((s, i) => (s.Transform, Colors[(i + 2) % Colors.Length]))]);
    }

    private static void Axis(StringBuilder svg, int left, int top, int plotHeight, double max, string unit)
    {
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{top + plotHeight}\" stroke=\"black\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{top + plotHeight}\" x2=\"{Width - 30}\" y2=\"{top + plotHeight}\" stroke=\"black\"/>\n");
        for (var t = 0; t <= 4; t++)
        {
            var y = top + plotHeight - (plotHeight * t / 4.0);
            Text(svg, left - 6, y + 4, (max * t / 4).ToString("0", CultureInfo.InvariantCulture), "end", 11);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{y:0.0}\" x2=\"{Width - 30}\" y2=\"{y:0.0}\" stroke=\"#ddd\"/>\n");
        }

        Text(svg, 16, top + (plotHeight / 2), unit, "middle", 12);
    }

    private static void BarAt(StringBuilder svg, int x, int top, int plotHeight, double fraction, int width, string color)
    {
        var h = plotHeight * Math.Clamp(fraction, 0, 1);
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{top + plotHeight - h:0.0}\" width=\"{width - 4}\" height=\"{h:0.0}\" fill=\"{color}\"/>\n");
    }

    private static void Legend(StringBuilder svg, int x, int y, IReadOnlyList<(string Label, string Color)> items)
    {
        foreach (var (label, color) in items)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y - 10}\" width=\"12\" height=\"12\" fill=\"{color}\"/>\n");
            Text(svg, x + 16, y, label, "start", 12);
            x += 30 + (label.Length * 8);
        }
    }

    private static void Text(StringBuilder svg, double x, double y, string text, string anchor, int size) =>
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:0.0}\" y=\"{y:0.0}\" text-anchor=\"{anchor}\" font-size=\"{size}\">{SecurityElement.Escape(text)}</text>\n");

    private static string Point(double x, double y) => string.Create(CultureInfo.InvariantCulture, $"{x:0.0},{y:0.0}");
}
