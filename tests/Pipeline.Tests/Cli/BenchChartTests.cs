using System.Globalization;
using System.Xml.Linq;
using Pipeline.Cli.Benchmarking;
using Pipeline.Cli.Output;
using Pipeline.Cli.Comparing;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Cli;

/// <summary>The bench chart: drawn by a real SVG renderer without error, and built so a reader can read it at a glance.</summary>
public sealed class BenchChartTests
{
    private static readonly BenchContext Context = new(2, "AMD EPYC", "Debian GNU/Linux 12", new DateTimeOffset(2026, 11, 22, 5, 40, 0, TimeSpan.Zero), "--size small, seed 42, 3 rounds", "pipeline 1.0.0 (Release), .NET 10.0.12, linux-x64, tiering on");

    [NeedsDebianToolFact("rsvg-convert", "librsvg2-bin")]
    public async Task Render_BenchWithSweep_RendersWithRsvgWithoutError()
    {
        var renderer = await DebianTool.EnsureAsync("rsvg-convert", "librsvg2-bin");
        using var temp = new TempDir();
        var svg = temp.Write("bench.svg", BenchChart.Render(Context, Rows(sweep: true)));

        var outcome = await ExternalCommand.RunAsync(renderer, [svg, "-o", temp.Sub("bench.png")], temp.Path, TimeSpan.FromMinutes(1));

        Assert.True(outcome.ExitCode == 0 && outcome.Error.Length == 0, outcome.ToString());
        var png = await File.ReadAllBytesAsync(temp.Sub("bench.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        var width = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16));
        var height = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20));
        Assert.Equal((960, 96 + (2 * 300) + 420 + 20), (width, height));
    }

    [Fact]
    public void Render_SixWorkloads_DrawsOnePanelEachWithItsOwnRoundScaleAndUnits()
    {
        var rows = Rows(sweep: false);

        var svg = XDocument.Parse(BenchChart.Render(Context, rows));

        var panels = Elements(svg, "g").Where(g => (string?)g.Attribute("class") == "panel").ToList();
        Assert.Equal(rows.Select(r => r.Workload), panels.Select(p => (string?)p.Attribute("data-workload")));
        foreach (var (panel, row) in panels.Zip(rows))
        {
            Assert.Equal("MB/s", Single(panel, "text", "unit").Value);
            var ticks = Elements(panel, "text").Where(t => (string?)t.Attribute("text-anchor") == "end").Select(t => double.Parse(t.Value, CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(0, ticks[0]);
            Assert.All(ticks.Zip(ticks.Skip(1)), pair => Assert.Equal(ticks[1], pair.Second - pair.First, 9));
            Assert.True(IsRound(ticks[1]), $"{row.Workload}: tick step {ticks[1]}");

            // The axis holds the fastest round: each panel on its own scale, none flattened by another's.
            Assert.InRange(ticks[^1], Figures.PerSecond(row.Comparison.Bytes, row.Comparison.Pipeline.MinSeconds), 2.5 * Figures.PerSecond(row.Comparison.Bytes, row.Comparison.Pipeline.MinSeconds));
            Assert.Equal(2, Elements(panel, "g").Count(g => (string?)g.Attribute("class") == "whisker"));
            Assert.All(Elements(panel, "rect").Where(r => (string?)r.Attribute("class") == "bar"), bar => Assert.Contains("MB/s", Elements(bar, "title").Single().Value, StringComparison.Ordinal));
            Assert.Contains(Elements(panel, "text"), t => t.Value.StartsWith($"speedup {Figures.Speedup(row.Comparison)}", StringComparison.Ordinal));
        }

        Assert.Empty(Elements(svg, "polyline"));
    }

    [Fact]
    public void Render_Sweep_DrawsSpeedupAgainstParallelismWithTheIdealLineTheCoresAndThroughputInEveryPointsTitle()
    {
        var rows = Rows(sweep: true);

        var svg = XDocument.Parse(BenchChart.Render(Context, rows));

        var sweep = Elements(svg, "g").Single(g => (string?)g.Attribute("class") == "sweep");
        Assert.Equal("speedup over sequential (x)", Single(sweep, "text", "unit").Value);
        Assert.Contains(Elements(sweep, "text"), t => t.Value.StartsWith("parallelism (-p", StringComparison.Ordinal));
        Assert.Contains(Elements(sweep, "text"), t => t.Value == "2 cores");
        Assert.Single(Elements(sweep, "polyline"), p => (string?)p.Attribute("class") == "ideal");
        Assert.Single(Elements(sweep, "line"), l => (string?)l.Attribute("class") == "cores");
        Assert.Equal(rows.Select(r => r.Workload), Elements(sweep, "polyline").Where(p => (string?)p.Attribute("class") == "series").Select(p => (string?)p.Attribute("data-workload")));
        var points = Elements(sweep, "circle").ToList();
        Assert.Equal(rows.Count * 3, points.Count);
        Assert.All(points, p => Assert.Matches(@" at -p \d+: [\d.]+ MB/s \([\d.]+-[\d.]+\), speedup [\d.]+x \([\d.]+-[\d.]+\), [\d.]+ cores busy$", Elements(p, "title").Single().Value));
        Assert.Equal(rows.Count * 3, Elements(sweep, "g").Count(g => (string?)g.Attribute("class") == "whisker"));
        Assert.DoesNotContain(points, p => ((string?)p.Attribute("class"))!.Contains("suspect", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_SweepPointAboveTheCoresBeyondItsSpread_IsRingedRedAndSaysSuspect()
    {
        // On 2 cores, the pipeline at -p 1 three times as fast as sequential in its slowest round: no overlap of reading
        // and writing explains that; at -p 2, 1.9x is within what the cores can give.
        var row = Rows(sweep: false)[0];
        var fast = Mode(row.Comparison.Sequential.MedianSeconds / 3.3, row.Comparison.Bytes);
        var fair = Mode(row.Comparison.Sequential.MedianSeconds / 1.9, row.Comparison.Bytes);
        var swept = row with { Sweep = [Point(1, row.Comparison, fast), Point(2, row.Comparison, fair)] };

        var svg = XDocument.Parse(BenchChart.Render(Context, [swept]));

        var points = Elements(Elements(svg, "g").Single(g => (string?)g.Attribute("class") == "sweep"), "circle").ToList();
        Assert.Equal(["point suspect", "point"], points.Select(p => (string?)p.Attribute("class")));
        Assert.Equal("#c00", (string?)points[0].Attribute("stroke"));
        Assert.Contains("SUSPECT: even the lowest speedup is more than the 2 cores can give", Elements(points[0], "title").Single().Value, StringComparison.Ordinal);
        Assert.DoesNotContain("SUSPECT", Elements(points[1], "title").Single().Value, StringComparison.Ordinal);
        Assert.True(swept.Sweep[0].IsSuspect);
        Assert.False(swept.Sweep[1].IsSuspect);
    }

    [Fact]
    public void Render_PanelWhoseRoundsOtherProcessesSlowed_SaysSoInRedOnThePanel()
    {
        var rows = Rows(sweep: false);
        var busy = rows[0].Comparison with
        {
            Sequential = rows[0].Comparison.Sequential with { OtherCoresBusy = 0.9 },
            Pipeline = rows[0].Comparison.Pipeline with { OtherCoresBusy = 0.9 },
        };
        var quiet = rows[1].Comparison with
        {
            Sequential = rows[1].Comparison.Sequential with { OtherCoresBusy = 0.05 },
            Pipeline = rows[1].Comparison.Pipeline with { OtherCoresBusy = 0.05 },
        };
        rows[0] = rows[0] with { Comparison = busy };
        rows[1] = rows[1] with { Comparison = quiet };

        var panels = Elements(XDocument.Parse(BenchChart.Render(Context, rows)), "g").Where(g => (string?)g.Attribute("class") == "panel").ToList();

        var said = Assert.Single(Elements(panels[0], "text"), t => t.Value.StartsWith("other processes", StringComparison.Ordinal));
        Assert.StartsWith("other processes kept 0.9 of 2 cores busy: speedup understated", said.Value, StringComparison.Ordinal);
        Assert.Equal("#c00", (string?)said.Attribute("fill"));
        var measured = Assert.Single(Elements(panels[1], "text"), t => t.Value.StartsWith("other processes", StringComparison.Ordinal));
        Assert.StartsWith("other processes kept 0.1 of 2 cores busy", measured.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("understated", measured.Value, StringComparison.Ordinal);
        Assert.DoesNotContain(Elements(panels[2], "text"), t => t.Value.StartsWith("other processes", StringComparison.Ordinal)); // not measured: nothing said
    }

    [Fact]
    public void Render_EveryPanel_WritesItsVerdictInWords()
    {
        // hash-small: faster in every round; gzip-small: an interval that holds 1.0; csv: sequential faster in every round.
        var rows = Rows(sweep: false);
        rows[2] = rows[2] with { Comparison = rows[2].Comparison with { Pipeline = Mode(rows[2].Comparison.Sequential.MedianSeconds * 0.97, rows[2].Comparison.Bytes) } };
        rows[5] = rows[5] with { Comparison = rows[5].Comparison with { Pipeline = Mode(rows[5].Comparison.Sequential.MedianSeconds * 1.5, rows[5].Comparison.Bytes) } };

        var svg = XDocument.Parse(BenchChart.Render(Context, rows));

        var verdicts = Elements(svg, "g").Where(g => (string?)g.Attribute("class") == "panel").Select(p => Single(p, "text", "verdict")).ToList();
        Assert.Equal("the pipeline was faster in every round", verdicts[0].Value);
        Assert.Equal("no difference beyond the rounds' spread", verdicts[2].Value);
        Assert.Equal("the sequential run was faster in every round", verdicts[5].Value);
        Assert.Equal(["#2a6e2a", "#c00", "#c00"], new[] { verdicts[0], verdicts[2], verdicts[5] }.Select(v => (string?)v.Attribute("fill")));
    }

    [Fact]
    public void Render_Sweep_ReadsAsAPicture_NoHoverInstructionAndThe1xLabelInTheLegendClearOfThePoints()
    {
        var svg = XDocument.Parse(BenchChart.Render(Context, Rows(sweep: true)));

        var sweep = Elements(svg, "g").Single(g => (string?)g.Attribute("class") == "sweep");
        var texts = Elements(svg, "text").ToList();
        Assert.DoesNotContain(texts, t => t.Nodes().OfType<XText>().Any(n => n.Value.Contains("hover", StringComparison.OrdinalIgnoreCase) || n.Value.Contains("tooltip", StringComparison.OrdinalIgnoreCase)));
        var label = Assert.Single(Elements(sweep, "text"), t => t.Value == "1x = sequential");
        var plotRight = double.Parse((string)Single(sweep, "line", "one").Attribute("x2")!, CultureInfo.InvariantCulture);
        Assert.True(double.Parse((string)label.Attribute("x")!, CultureInfo.InvariantCulture) > plotRight, "the 1x label is inside the plot");
    }

    [Fact]
    public void Render_Sweep_MarksEachPanelsRunAtItsParallelism_AndSaysTheTwoRunsDiffer()
    {
        var rows = Rows(sweep: true);

        var svg = XDocument.Parse(BenchChart.Render(Context, rows));

        var sweep = Elements(svg, "g").Single(g => (string?)g.Attribute("class") == "sweep");
        var marks = Elements(sweep, "path").Where(p => (string?)p.Attribute("class") == "panel-run").ToList();
        Assert.Equal(rows.Select(r => r.Workload), marks.Select(m => (string?)m.Attribute("data-workload")));
        foreach (var (mark, row) in marks.Zip(rows))
        {
            var title = Elements(mark, "title").Single().Value;
            Assert.Contains($"the panel's run (default -p 2): speedup {Figures.Speedup(row.Comparison)}", title, StringComparison.Ordinal);
            Assert.Contains($"the sweep's own run at -p 2 gave {Figures.Speedup(row.Sweep.Single(p => p.Parallelism == 2))}", title, StringComparison.Ordinal);
        }

        Assert.Contains(Elements(sweep, "text"), t => t.Value.Contains("Hollow diamonds: the panels' runs above (default -p 2)", StringComparison.Ordinal));
        Assert.Contains(Elements(sweep, "text"), t => t.Value.Contains("they differ by the spread between runs", StringComparison.Ordinal));
        Assert.Contains(Elements(sweep, "text"), t => t.Value == "panel's run (-p 2)");
    }

    [Fact]
    public void Render_Header_NamesTheMachineTheDateTheCorpusAndTheBuild()
    {
        var text = string.Join("\n", Elements(XDocument.Parse(BenchChart.Render(Context, Rows(sweep: false))), "text").Select(t => t.Value));

        Assert.Contains("machine: 2 cores (AMD EPYC), Debian GNU/Linux 12; 2026-11-22 05:40 UTC", text, StringComparison.Ordinal);
        Assert.Contains("corpus: --size small, seed 42, 3 rounds; build: pipeline 1.0.0 (Release), .NET 10.0.12, linux-x64, tiering on", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1351, new[] { 0.0, 500, 1000, 1500 })]
    [InlineData(94, new[] { 0.0, 25, 50, 75, 100 })]
    [InlineData(13.2, new[] { 0.0, 5, 10, 15 })]
    [InlineData(2.64, new[] { 0.0, 1, 2, 3 })]
    public void Ticks_AnyMaximum_GivesRoundStepsFromZeroPastIt(double max, double[] expected) =>
        Assert.Equal(expected, BenchChart.Ticks(max));

    private static bool IsRound(double step)
    {
        var mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step)));
        return new[] { 1, 2, 2.5, 5 }.Any(m => Math.Abs(m - mantissa) < 1e-9);
    }

    private static IEnumerable<XElement> Elements(XContainer parent, string name) => parent.Descendants().Where(e => e.Name.LocalName == name);

    private static XElement Single(XContainer parent, string name, string @class) => Elements(parent, name).Single(e => (string?)e.Attribute("class") == @class);

    /// <summary>Six workloads whose throughputs differ a hundredfold, as a real bench's do.</summary>
    private static List<BenchRow> Rows(bool sweep)
    {
        (string Workload, long Bytes, double Sequential, double Pipeline)[] shapes =
        [
            ("hash-small", 9_300_000, 0.20, 0.14), ("hash-large", 67_100_000, 0.11, 0.06), ("gzip-small", 9_200_000, 0.80, 0.45),
            ("gzip-large-text", 33_600_000, 2.3, 1.2), ("gunzip", 10_600_000, 0.30, 0.17), ("csv", 12_600_000, 0.60, 0.32),
        ];
        return [.. shapes.Select(s =>
        {
            var sequential = Mode(s.Sequential, s.Bytes);
            var comparison = new ComparisonResult(s.Workload.Split('-')[0], 100, s.Bytes, 0, 2, sequential, Mode(s.Pipeline, s.Bytes), true, null);
            IReadOnlyList<SweepPoint> points = sweep ? [.. new[] { 1, 2, 4 }.Select(p => Point(p, comparison, Mode(s.Sequential / Math.Min(p, 2) * 1.05, s.Bytes)))] : [];
            return new BenchRow(s.Workload, comparison, points);
        })];
    }

    private static SweepPoint Point(int parallelism, ComparisonResult bench, ModeMeasurement pipeline) =>
        new(parallelism, bench with { Pipeline = pipeline });

    private static ModeMeasurement Mode(double median, long bytes) =>
        new([median * 0.95, median, median * 1.1], median, 100 / median, bytes / 1e6 / median, median * 0.9, 50_000_000);
}
