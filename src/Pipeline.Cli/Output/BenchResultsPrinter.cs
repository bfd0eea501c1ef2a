using System.Text.Json;
using Pipeline.Cli.Benchmarking;
using Pipeline.Cli.Commands;

namespace Pipeline.Cli.Output;

/// <summary>Prints the results of <c>pipeline bench</c> (and of its parallelism sweep) as tables or as one JSON object.</summary>
internal static class BenchResultsPrinter
{
    public static void PrintTable(CliConsole console, BenchContext context, IReadOnlyList<BenchRow> rows)
    {
        var table = new FittedTable($"pipeline bench {context.Corpus}: time: median (fastest-slowest round); MB/s: the pipeline's", labelled: true)
        {
            Caption = $"{context.Machine}; {context.Build}",
        };
        table.AddColumn("workload", rightAligned: false);
        foreach (var column in (string[])["files", "MB", "sequential", "pipeline", "MB/s", "speedup", "efficiency"])
        {
            table.AddColumn(column);
        }

        foreach (var (workload, r, _) in rows)
        {
            table.AddRow(workload, Units.Count(r.Files), Units.Megabytes(r.Bytes), Figures.SecondsWithSpread(r.Sequential), Figures.SecondsWithSpread(r.Pipeline),
                Figures.Scaled(r.Pipeline.MegabytesPerSecond), Figures.Speedup(r), Units.Fixed(r.Efficiency, 2) + (r.IsBeyondCores && !r.IsTooShortToTime ? " suspect" : string.Empty));
        }

        var output = console.CreateOutConsole();
        table.Write(output, console.TableBorder);
        var different = rows.Where(r => !r.Comparison.Identical).Select(r => r.Workload).ToList();
        console.Out.WriteLine(different.Count == 0 ? "outputs of sequential and pipeline identical in every workload" : $"outputs DIFFER in {string.Join(", ", different)}");
        foreach (var row in rows)
        {
            foreach (var note in ComparisonNotes.For(row.Comparison, row.Workload))
            {
                console.WriteOutProse(note);
            }
        }

        var swept = rows.Where(r => r.Sweep.Count > 0).ToList();
        if (swept.Count > 0)
        {
            var grid = new FittedTable("pipeline by parallelism: MB/s (slowest-fastest round), speedup over the sequential rounds (interval)", labelled: true);
            grid.AddColumn("workload", rightAligned: false);
            foreach (var point in swept[0].Sweep)
            {
                grid.AddColumn($"-p {point.Parallelism}");
            }

            foreach (var row in swept)
            {
                grid.AddRow([row.Workload, .. row.Sweep.Select(p => $"{Figures.ThroughputWithSpread(p.Measurement, row.Comparison.Bytes)}\n{Figures.Speedup(p)}{(p.IsSuspect ? " suspect" : string.Empty)}\n{Units.Fixed(p.CoresBusy, 1)} cores busy")]);
            }

            grid.Write(output, console.TableBorder);
            console.WriteOutProse(SweepReading(context.Cores));
            foreach (var row in swept)
            {
                foreach (var note in row.Sweep.SelectMany(SweepNotes(row.Workload)))
                {
                    console.WriteOutProse(note);
                }
            }
        }
    }

    /// <summary>How to read the sweep: what bounds a point, and when one is suspect.</summary>
    public static string SweepReading(int cores) =>
        "-p bounds the CPU stage (that many files or chunks computed at once); reading and writing (open, create, rename: the kernel's work) "
        + $"run beside it on other cores, so a point can pass -p, up to the {cores} cores (cores busy = CPU time / time); above the cores even at the bottom of its interval, it is suspect";

    /// <summary>The notes a sweep point needs: outputs that differ, rounds too short to time, or a suspect speedup with its likely reason.</summary>
    private static Func<SweepPoint, IEnumerable<string>> SweepNotes(string workload) => p =>
    {
        var label = $"{workload} at -p {p.Parallelism}";
        var notes = p.Comparison.Identical ? [] : new List<string> { $"{label}: outputs DIFFER from the sequential run's: {p.Comparison.Difference}" };
        if (p.IsSuspect || p.Comparison.IsTooShortToTime)
        {
            notes.AddRange(ComparisonNotes.For(p.Comparison, label));
        }

        return notes;
    };

    public static void PrintJson(CliConsole console, BenchContext context, IReadOnlyList<BenchRow> rows)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("corpus", context.Corpus);
            json.WriteNumber("cores", context.Cores);
            json.WriteString("cpu", context.Cpu);
            json.WriteString("os", context.Os);
            json.WriteString("date", context.Date.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("build", context.Build);
            json.WriteStartArray("results");
            foreach (var row in rows)
            {
                json.WriteStartObject();
                json.WriteString("workload", row.Workload);
                json.WriteString("transform", row.Comparison.Transform);
                CompareCommand.WriteComparison(json, row.Comparison);
                json.WriteStartArray("sweep");
                foreach (var point in row.Sweep)
                {
                    json.WriteStartObject();
                    json.WriteNumber("parallelism", point.Parallelism);
                    json.WriteNumber("seconds", Math.Round(point.Measurement.MedianSeconds, 6));
                    json.WriteNumber("seconds_min", Math.Round(point.Measurement.MinSeconds, 6));
                    json.WriteNumber("seconds_max", Math.Round(point.Measurement.MaxSeconds, 6));
                    json.WriteNumber("mb_per_s", Math.Round(point.Measurement.MegabytesPerSecond, 2));
                    json.WriteNumber("speedup", Math.Round(point.Speedup, 3));
                    json.WriteNumber("speedup_low", Math.Round(point.SpeedupLow, 3));
                    json.WriteNumber("speedup_high", Math.Round(point.SpeedupHigh, 3));
                    json.WriteNumber("cpu_seconds", Math.Round(point.Measurement.CpuSeconds, 6));
                    json.WriteNumber("cores_busy", Math.Round(point.CoresBusy, 3));
                    json.WriteBoolean("suspect", point.IsSuspect);
                    json.WriteBoolean("identical", point.Comparison.Identical);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
