using System.Text.Json;
using Pipeline.Comparing;
using Spectre.Console;

namespace Pipeline.Cli.Output;

/// <summary>Prints the results of <c>pipeline bench</c> (and of its parallelism sweep) as tables or as one JSON object.</summary>
internal static class BenchResultsPrinter
{
    public static void PrintTable(CliConsole console, string size, IReadOnlyList<ComparisonResult> rows, IReadOnlyList<(string Transform, IReadOnlyList<(int Parallelism, ModeMeasurement Measurement)> Points)> sweep)
    {
        var cores = Environment.ProcessorCount;
        var table = new Table().Border(console.TableBorder).Title($"pipeline bench --size {size}: {cores} cores, median of {(rows.Count > 0 ? rows[0].Pipeline.RoundSeconds.Count : 0)} rounds");
        foreach (var column in (string[])["transform", "files", "MB", "seq s", "pipe s", "seq files/s", "pipe files/s", "seq MB/s", "pipe MB/s", "speedup", "efficiency", "identical"])
        {
            table.AddColumn(column);
        }

        foreach (var c in table.Columns.Skip(1))
        {
            c.RightAligned();
        }

        foreach (var r in rows)
        {
            table.AddRow(r.Transform, Units.Count(r.Files), Units.Megabytes(r.Bytes), Units.Fixed(r.Sequential.MedianSeconds, 3), Units.Fixed(r.Pipeline.MedianSeconds, 3),
                Units.Fixed(r.Sequential.FilesPerSecond, 0), Units.Fixed(r.Pipeline.FilesPerSecond, 0), Units.Fixed(r.Sequential.MegabytesPerSecond, 1),
                Units.Fixed(r.Pipeline.MegabytesPerSecond, 1), Units.Fixed(r.Speedup, 2) + "x", Units.Fixed(r.Efficiency, 2), r.Identical ? "yes" : "NO");
        }

        var output = console.CreateOutConsole();
        output.Write(table);
        if (sweep.Count > 0)
        {
            var levels = sweep[0].Points.Select(p => p.Parallelism).ToList();
            var grid = new Table().Border(console.TableBorder).Title("pipeline MB/s by parallelism").AddColumn("transform");
            foreach (var level in levels)
            {
                grid.AddColumn(new TableColumn($"-p {level}").RightAligned());
            }

            foreach (var (transform, points) in sweep)
            {
                grid.AddRow([transform, .. points.Select(p => Units.Fixed(p.Measurement.MegabytesPerSecond, 1))]);
            }

            output.Write(grid);
        }
    }

    public static void PrintJson(CliConsole console, string size, IReadOnlyList<ComparisonResult> rows, IReadOnlyList<(string Transform, IReadOnlyList<(int Parallelism, ModeMeasurement Measurement)> Points)> sweep)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("size", size);
            json.WriteNumber("cores", Environment.ProcessorCount);
            json.WriteStartArray("results");
            foreach (var r in rows)
            {
                json.WriteStartObject();
                json.WriteString("transform", r.Transform);
                json.WriteNumber("files", r.Files);
                json.WriteNumber("bytes", r.Bytes);
                foreach (var (name, m) in (IEnumerable<(string, ModeMeasurement)>)[("sequential", r.Sequential), ("pipeline", r.Pipeline)])
                {
                    json.WriteStartObject(name);
                    json.WriteNumber("seconds", Math.Round(m.MedianSeconds, 6));
                    json.WriteNumber("files_per_s", Math.Round(m.FilesPerSecond, 1));
                    json.WriteNumber("mb_per_s", Math.Round(m.MegabytesPerSecond, 2));
                    json.WriteNumber("peak_working_set_bytes", m.PeakWorkingSetBytes);
                    json.WriteEndObject();
                }

                json.WriteNumber("speedup", Math.Round(r.Speedup, 3));
                json.WriteNumber("efficiency", Math.Round(r.Efficiency, 3));
                json.WriteBoolean("identical", r.Identical);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("sweep");
            foreach (var (transform, points) in sweep)
            {
                foreach (var (level, m) in points)
                {
                    json.WriteStartObject();
                    json.WriteString("transform", transform);
                    json.WriteNumber("parallelism", level);
                    json.WriteNumber("seconds", Math.Round(m.MedianSeconds, 6));
                    json.WriteNumber("mb_per_s", Math.Round(m.MegabytesPerSecond, 2));
                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
