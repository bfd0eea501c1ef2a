using System.Globalization;
using System.Security;
using System.Text;
using Pipeline.Cli.Benchmarking;
using Pipeline.Cli.Comparing;

namespace Pipeline.Cli.Output;

/// <summary>
/// A hand-written SVG of a bench run, readable at a glance: a header naming the machine, the date, the corpus and the
/// build; one panel per workload with its own MB/s scale (sequential and pipeline, whiskers from the slowest to the
/// fastest round, the speedup with its interval); and after a parallelism sweep, the speedup over sequential against
/// parallelism for every workload on one normalised axis, with the ideal-scaling line and the core count marked.
/// Everything a reader needs is written on it, so that it reads the same as a PNG: each panel's verdict in words, the
/// labels in the legend, clear of the data, and each panel's own speedup marked on the sweep beside the sweep's point at
/// the same parallelism (two runs with their own rounds, which differ by the spread between runs). Every element also
/// carries a <c>&lt;title&gt;</c> with its figures, a tooltip where the SVG is opened in a browser. No plotting package needed.
/// </summary>
internal static class BenchChart
{
    private const int Width = 960;
    private const int Margin = 20;
    private const int HeaderHeight = 96;
    private const int PanelColumns = 3;
    private const int PanelHeight = 300;
    private const int SweepHeight = 420;
    private const string SequentialColor = "#4e79a7";
    private const string PipelineColor = "#f28e2b";
    private static readonly string[] LineColors = ["#59a14f", "#e15759", "#76b7b2", "#b07aa1", "#edc948", "#9c755f", "#4e79a7", "#f28e2b"];

    public static string Render(BenchContext context, IReadOnlyList<BenchRow> rows)
    {
        var panelRows = (rows.Count + PanelColumns - 1) / PanelColumns;
        var swept = rows.Where(r => r.Sweep.Count > 0).ToList();
        var height = HeaderHeight + (panelRows * PanelHeight) + (swept.Count > 0 ? SweepHeight : 0) + Margin;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{height}\" fill=\"white\"/>\n");
        Header(svg, context);
        var panelWidth = (Width - (2 * Margin)) / PanelColumns;
        for (var i = 0; i < rows.Count; i++)
        {
            Panel(svg, rows[i], Margin + (i % PanelColumns * panelWidth), HeaderHeight + (i / PanelColumns * PanelHeight), panelWidth, context.Cores);
        }

        if (swept.Count > 0)
        {
            Sweep(svg, swept, HeaderHeight + (panelRows * PanelHeight), context.Cores);
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>Round tick values from 0 to at least <paramref name="max"/>: steps of 1, 2, 2.5 or 5 times a power of ten, four to six of them.</summary>
    public static IReadOnlyList<double> Ticks(double max)
    {
        if (!(max > 0) || double.IsInfinity(max))
        {
            return [0, 1];
        }

        var raw = max / 4;
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * power).First(s => s >= raw);
        var top = Math.Ceiling((max / step) - 1e-9) * step;
        var ticks = new List<double>();
        for (var k = 0; k * step <= top + (step / 2); k++)
        {
            ticks.Add(Math.Round(k * step, 10));
        }

        return ticks;
    }

    private static void Header(StringBuilder svg, BenchContext context)
    {
        Text(svg, Width / 2, 26, "pipeline bench: sequential against pipeline, per workload", "middle", 17, "bold");
        Text(svg, Width / 2, 48, $"machine: {context.Machine}", "middle", 12);
        Text(svg, Width / 2, 66, $"corpus: {context.Corpus}; build: {context.Build}", "middle", 12);
        Text(svg, Width / 2, 84, "bars: median round; whiskers: slowest to fastest round; speedup: sequential median / pipeline median (interval from the rounds)", "middle", 11, fill: "#555");
    }

    /// <summary>
    /// The verdict on a comparison in a few words, as compare's notes give it (<see cref="ComparisonNotes"/>), and whether
    /// it is a warning: too short to time, suspect above the cores, sequential faster, no difference beyond the spread;
    /// else the pipeline was faster in every round.
    /// </summary>
    public static (string Text, bool Warning) Verdict(ComparisonResult r) =>
        r.IsTooShortToTime ? ("too short to time: the speedup means little", true)
        : r.IsBeyondCores ? ($"SUSPECT: above the {r.Cores} cores beyond the spread", true)
        : r.SpeedupHigh < 1 ? ("the sequential run was faster in every round", true)
        : r.SpeedupLow < 1 ? ("no difference beyond the rounds' spread", true)
        : ("the pipeline was faster in every round", false);

    private static void Panel(StringBuilder svg, BenchRow row, int x, int y, int width, int cores)
    {
        var (workload, r, _) = row;
        const int left = 58, top = 82, bottom = 48, right = 16;
        var plotHeight = PanelHeight - top - bottom;
        var plotWidth = width - left - right;
        svg.Append(CultureInfo.InvariantCulture, $"<g class=\"panel\" data-workload=\"{Escape(workload)}\">\n");
        Text(svg, x + (width / 2), y + 18, $"{workload}: {Units.Count(r.Files)} files, {Units.Megabytes(r.Bytes)} MB", "middle", 13, "bold");
        var (verdict, warning) = Verdict(r);
        Text(svg, x + (width / 2), y + 36, $"speedup {Figures.Speedup(r)}, efficiency {Units.Fixed(r.Efficiency, 2)}", "middle", 12,
            title: $"{workload}: sequential {Figures.SecondsWithSpread(r.Sequential)}, pipeline {Figures.SecondsWithSpread(r.Pipeline)} on {cores} cores");
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"verdict\" x=\"{x + (width / 2.0):0.0}\" y=\"{y + 52:0.0}\" text-anchor=\"middle\" font-size=\"11\" font-style=\"italic\" fill=\"{(warning ? "#c00" : "#2a6e2a")}\">{Escape(verdict)}</text>\n");
        if (r.OtherCoresBusy is { } others)
        {
            // What the rest of the machine took during the rounds: said in red when it was enough to hold the pipeline back.
            var slowed = r.IsSlowedByOtherWork;
            Text(svg, x + (width / 2), y + 68, $"other processes kept {Units.Fixed(others, 1)} of {cores} cores busy{(slowed ? ": speedup understated" : string.Empty)}", "middle", 11,
                fill: slowed ? "#c00" : "#555", title: ComparisonNotes.OtherWork(r));
        }

        var fastest = Figures.PerSecond(r.Bytes, Math.Min(r.Sequential.MinSeconds, r.Pipeline.MinSeconds));
        var ticks = Ticks(Math.Max(fastest, Math.Max(r.Sequential.MegabytesPerSecond, r.Pipeline.MegabytesPerSecond)));
        var max = ticks[^1];
        double Y(double value) => y + top + plotHeight - (plotHeight * value / max);
        YAxis(svg, x + left, x + left + plotWidth, ticks, Y, "MB/s", x + 14, y + top + (plotHeight / 2));
        var barWidth = plotWidth / 5;
        foreach (var (mode, m, color, slot) in (IEnumerable<(string, ModeMeasurement, string, int)>)[("sequential", r.Sequential, SequentialColor, 1), ("pipeline", r.Pipeline, PipelineColor, 3)])
        {
            var bx = x + left + (slot * plotWidth / 5.0);
            var value = m.MegabytesPerSecond;
            var low = Figures.PerSecond(r.Bytes, m.MaxSeconds);
            var high = Figures.PerSecond(r.Bytes, m.MinSeconds);
            var tip = $"{workload}, {mode}: {Figures.ThroughputWithSpread(m, r.Bytes)}; time {Figures.SecondsWithSpread(m)}; CPU {Figures.Seconds(m.CpuSeconds)}";
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{bx:0.0}\" y=\"{Y(value):0.0}\" width=\"{barWidth}\" height=\"{Y(0) - Y(value):0.0}\" fill=\"{color}\"><title>{Escape(tip)}</title></rect>\n");
            Whisker(svg, bx + (barWidth / 2.0), Y(low), Y(high), tip);
            Text(svg, bx + (barWidth / 2.0), Y(0) + 16, mode, "middle", 12);
            Text(svg, bx + (barWidth / 2.0), Math.Min(Y(high), Y(value)) - 5, Figures.Scaled(value), "middle", 11);
        }

        Text(svg, x + left + (plotWidth / 2), Y(0) + 34, "mode (whiskers: spread of the rounds)", "middle", 11, fill: "#555");
        svg.Append("</g>\n");
    }

    private static void Sweep(StringBuilder svg, IReadOnlyList<BenchRow> swept, int y, int cores)
    {
        const int left = 78, top = 64, bottom = 64;
        var legendWidth = 190;
        var x0 = Margin + left;
        var x1 = Width - Margin - legendWidth;

        // The first and last levels sit inside the axes, so their whiskers stay clear of the y axis.
        const int inset = 36;
        var plotHeight = SweepHeight - top - bottom;
        var levels = swept.SelectMany(r => r.Sweep).Select(p => p.Parallelism).Append(cores).Distinct().Order().ToList();
        var logMin = Math.Log2(levels[0]);
        var logMax = Math.Log2(levels[^1]);
        double X(double p) => logMax > logMin ? x0 + inset + ((x1 - x0 - (2 * inset)) * (Math.Log2(p) - logMin) / (logMax - logMin)) : (x0 + x1) / 2.0;
        var highest = swept.SelectMany(r => r.Sweep).Select(p => p.SpeedupHigh).Append(Math.Min(levels[^1], cores)).Max();
        var ticks = Ticks(highest);
        var max = ticks[^1];
        double Y(double value) => y + top + plotHeight - (plotHeight * value / max);
        svg.Append("<g class=\"sweep\">\n");
        Text(svg, Width / 2, y + 22, "Speedup over the sequential run against parallelism (every workload on one normalised axis)", "middle", 15, "bold");
        Text(svg, Width / 2, y + 42, $"Each point is a run of its own, with sequential rounds of its own. Hollow diamonds: the panels' runs above (default -p {cores}).", "middle", 11, fill: "#555");
        Text(svg, Width / 2, y + 56, $"At -p {cores} a diamond and its point measure the same setting twice: they differ by the spread between runs.", "middle", 11, fill: "#555");
        YAxis(svg, x0, x1, ticks, Y, "speedup over sequential (x)", Margin + 14, y + top + (plotHeight / 2));
        foreach (var p in levels)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(p):0.0}\" y1=\"{Y(0):0.0}\" x2=\"{X(p):0.0}\" y2=\"{Y(0) + 5:0.0}\" stroke=\"black\"/>\n");
            Text(svg, X(p), Y(0) + 18, p.ToString(CultureInfo.InvariantCulture), "middle", 12);
        }

        Text(svg, (x0 + x1) / 2.0, Y(0) + 38, "parallelism (-p, files or chunks computed at once; log scale)", "middle", 12);

        // Ideal scaling: speedup p with p workers, until the cores are all busy; flat after that.
        var ideal = string.Join(' ', levels.Select(p => Point(X(p), Y(Math.Min(p, cores)))));
        svg.Append(CultureInfo.InvariantCulture, $"<polyline class=\"ideal\" fill=\"none\" stroke=\"#888\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\" points=\"{ideal}\"><title>ideal scaling of the CPU stage: speedup = parallelism, at most the {cores} cores; reading and writing run beside it on other cores, so a point may pass it below the core count</title></polyline>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"cores\" x1=\"{X(cores):0.0}\" y1=\"{Y(max):0.0}\" x2=\"{X(cores):0.0}\" y2=\"{Y(0):0.0}\" stroke=\"#c00\" stroke-width=\"1\" stroke-dasharray=\"2 3\"><title>the machine's {cores} cores</title></line>\n");
        Text(svg, X(cores) + 4, Y(max) + 12, $"{cores} cores", "start", 11, fill: "#c00");
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"one\" x1=\"{x0}\" y1=\"{Y(1):0.0}\" x2=\"{x1}\" y2=\"{Y(1):0.0}\" stroke=\"#000\" stroke-width=\"0.6\"><title>1x: as fast as the sequential run</title></line>\n");
        for (var i = 0; i < swept.Count; i++)
        {
            var row = swept[i];
            var color = LineColors[i % LineColors.Length];
            // Each series a few pixels aside of the others, so that whiskers at the same parallelism do not hide each other.
            var dodge = (i - ((swept.Count - 1) / 2.0)) * 5;
            var points = string.Join(' ', row.Sweep.Select(p => Point(X(p.Parallelism) + dodge, Y(p.Speedup))));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline class=\"series\" data-workload=\"{Escape(row.Workload)}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{points}\"/>\n");
            foreach (var p in row.Sweep)
            {
                var tip = $"{row.Workload} at -p {p.Parallelism}: {Figures.ThroughputWithSpread(p.Measurement, row.Comparison.Bytes)}, speedup {Figures.Speedup(p)}, {Units.Fixed(p.CoresBusy, 1)} cores busy"
                    + (p.IsSuspect ? $"; SUSPECT: even the lowest speedup is more than the {cores} cores can give" : string.Empty);
                Whisker(svg, X(p.Parallelism) + dodge, Y(p.SpeedupLow), Y(p.SpeedupHigh), tip, color);
                svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"point{(p.IsSuspect ? " suspect" : string.Empty)}\" cx=\"{X(p.Parallelism) + dodge:0.0}\" cy=\"{Y(p.Speedup):0.0}\" r=\"4\" fill=\"{color}\"{(p.IsSuspect ? " stroke=\"#c00\" stroke-width=\"3\"" : string.Empty)}><title>{Escape(tip)}</title></circle>\n");
                if (p.IsSuspect)
                {
                    Text(svg, X(p.Parallelism) + dodge + 8, Y(p.Speedup) - 6, "suspect", "start", 10, fill: "#c00");
                }
            }

            // The panel's own run at its default parallelism, beside the sweep's point at the same -p.
            var panel = row.Comparison;
            var px = X(cores) + dodge;
            var ptip = $"{row.Workload}, the panel's run (default -p {cores}): speedup {Figures.Speedup(panel)}; the sweep's own run at -p {cores} gave {(row.Sweep.FirstOrDefault(p => p.Parallelism == cores) is { } same ? Figures.Speedup(same) : "no point")}";
            svg.Append(CultureInfo.InvariantCulture, $"<path class=\"panel-run\" data-workload=\"{Escape(row.Workload)}\" d=\"M {px:0.0} {Y(panel.Speedup) - 6:0.0} L {px + 6:0.0} {Y(panel.Speedup):0.0} L {px:0.0} {Y(panel.Speedup) + 6:0.0} L {px - 6:0.0} {Y(panel.Speedup):0.0} Z\" fill=\"white\" stroke=\"{color}\" stroke-width=\"2\"><title>{Escape(ptip)}</title></path>\n");

            var ly = y + top + 10 + (i * 20);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x1 + 24}\" y=\"{ly - 9}\" width=\"14\" height=\"4\" fill=\"{color}\"/>\n");
            Text(svg, x1 + 44, ly - 3, row.Workload, "start", 12);
        }

        var legendY = y + top + 10 + (swept.Count * 20);
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x1 + 24}\" y1=\"{legendY - 7}\" x2=\"{x1 + 38}\" y2=\"{legendY - 7}\" stroke=\"#888\" stroke-width=\"1.5\" stroke-dasharray=\"4 2\"/>\n");
        Text(svg, x1 + 44, legendY - 3, "ideal scaling", "start", 12);
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x1 + 24}\" y1=\"{legendY + 13}\" x2=\"{x1 + 38}\" y2=\"{legendY + 13}\" stroke=\"#000\" stroke-width=\"0.6\"/>\n");
        Text(svg, x1 + 44, legendY + 17, "1x = sequential", "start", 12);
        var dy = legendY + 33;
        svg.Append(CultureInfo.InvariantCulture, $"<path d=\"M {x1 + 31} {dy - 11} L {x1 + 36} {dy - 6} L {x1 + 31} {dy - 1} L {x1 + 26} {dy - 6} Z\" fill=\"white\" stroke=\"#555\" stroke-width=\"1.5\"/>\n");
        Text(svg, x1 + 44, dy - 2, $"panel's run (-p {cores})", "start", 12);
        Text(svg, x1 + 24, dy + 18, "whiskers: interval from the rounds", "start", 10, fill: "#555");
        Text(svg, x1 + 24, dy + 32, "ringed red: suspect (above", "start", 10, fill: "#c00");
        Text(svg, x1 + 24, dy + 46, "the cores beyond the spread)", "start", 10, fill: "#c00");
        svg.Append("</g>\n");
    }

    private static void YAxis(StringBuilder svg, double x0, double x1, IReadOnlyList<double> ticks, Func<double, double> y, string unit, double labelX, double labelY)
    {
        foreach (var t in ticks)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x0:0.0}\" y1=\"{y(t):0.0}\" x2=\"{x1:0.0}\" y2=\"{y(t):0.0}\" stroke=\"#e3e3e3\"/>\n");
            Text(svg, x0 - 6, y(t) + 4, t.ToString("0.##", CultureInfo.InvariantCulture), "end", 11);
        }

        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x0:0.0}\" y1=\"{y(ticks[^1]):0.0}\" x2=\"{x0:0.0}\" y2=\"{y(0):0.0}\" stroke=\"black\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x0:0.0}\" y1=\"{y(0):0.0}\" x2=\"{x1:0.0}\" y2=\"{y(0):0.0}\" stroke=\"black\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"unit\" x=\"{labelX:0.0}\" y=\"{labelY:0.0}\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 {labelX:0.0} {labelY:0.0})\">{Escape(unit)}</text>\n");
    }

    private static void Whisker(StringBuilder svg, double x, double yLow, double yHigh, string title, string color = "#222")
    {
        svg.Append(CultureInfo.InvariantCulture, $"<g class=\"whisker\" stroke=\"{color}\" stroke-width=\"1.5\"><title>{Escape(title)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:0.0}\" y1=\"{yLow:0.0}\" x2=\"{x:0.0}\" y2=\"{yHigh:0.0}\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x - 6:0.0}\" y1=\"{yLow:0.0}\" x2=\"{x + 6:0.0}\" y2=\"{yLow:0.0}\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x - 6:0.0}\" y1=\"{yHigh:0.0}\" x2=\"{x + 6:0.0}\" y2=\"{yHigh:0.0}\"/></g>\n");
    }

    private static void Text(StringBuilder svg, double x, double y, string text, string anchor, int size, string weight = "normal", string fill = "#000", string? title = null)
    {
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:0.0}\" y=\"{y:0.0}\" text-anchor=\"{anchor}\" font-size=\"{size}\" font-weight=\"{weight}\" fill=\"{fill}\">{Escape(text)}");
        if (title is not null)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<title>{Escape(title)}</title>");
        }

        svg.Append("</text>\n");
    }

    private static string Escape(string text) => SecurityElement.Escape(text);

    private static string Point(double x, double y) => string.Create(CultureInfo.InvariantCulture, $"{x:0.0},{y:0.0}");
}
