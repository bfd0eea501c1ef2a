using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Pipeline.Benchmarking;
using Pipeline.Cli.Output;
using Pipeline.Comparing;
using Pipeline.Compression;
using Pipeline.Csv;
using Pipeline.Hashing;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Transforms;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline bench</c>: generates a seeded corpus in a temporary folder, runs <c>compare</c> for each transform on
/// it, and prints one table (or JSON, or an SVG chart); the corpus is removed afterwards unless <c>--keep</c>.
/// </summary>
internal static class BenchCommand
{
    private static readonly string[] AllTransforms = ["hash", "gzip", "gunzip", "csv"];

    public static Command Create(CliConsole console)
    {
        var command = new Command("bench", "Generate a seeded corpus and compare sequential against pipeline for each transform, in one table");
        var size = new Option<string>("--size") { Description = "Corpus size: small (~70 MB, seconds), medium (~400 MB), large (the suite's full corpora, ~2.5 GB) (default: small)", HelpName = "size", DefaultValueFactory = _ => "small" };
        size.AcceptOnlyFromAmong("small", "medium", "large");
        var transforms = new Option<string>("--transforms", "-t") { Description = "Comma-separated transforms to run (default: hash,gzip,gunzip,csv)", HelpName = "list", DefaultValueFactory = _ => string.Join(',', AllTransforms) };
        var rounds = JobOptions.IntOption("--rounds", "-r", "Measured rounds of each mode, after one warm-up (default: 3)", 3, 1, ComparisonRunner.MaxRounds);
        var json = new Option<bool>("--json") { Description = "Print the results as one JSON object" };
        var chart = new Option<string?>("--chart") { Description = "Write an SVG chart of throughput and speedup per transform (and of the sweep) here", HelpName = "file.svg" };
        var sweep = new Option<string?>("--sweep-parallelism") { Description = "Also measure the pipeline at these degrees of parallelism, e.g. 1,2,4,8", HelpName = "list" };
        var keep = new Option<bool>("--keep") { Description = "Keep the generated corpus (its folder is printed)" };
        var workDir = new Option<string?>("--work-dir") { Description = "Where to generate the corpus (default: a new temporary folder)", HelpName = "dir" };
        var seed = new Option<int>("--seed") { Description = "Random seed of the corpus (default: 42)", DefaultValueFactory = _ => 42 };
        foreach (var option in (Option[])[size, transforms, rounds, json, chart, sweep, keep, workDir, seed])
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) => CommandErrors.GuardAsync(console, parse, async () =>
        {
            var chosen = parse.GetValue(transforms)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var unknown = chosen.Where(t => !AllTransforms.Contains(t)).ToList();
            var levels = ParseLevels(parse.GetValue(sweep));
            if (unknown.Count > 0 || chosen.Length == 0)
            {
                throw new PipelineOptionsException($"--transforms: unknown transform(s) {string.Join(", ", unknown)}; choose from {string.Join(", ", AllTransforms)}");
            }

            var work = Path.GetFullPath(parse.GetValue(workDir) ?? Path.Join(Path.GetTempPath(), "pipeline-bench-" + Guid.NewGuid().ToString("N")[..8]));
            var run = new BenchRun(console, work, Scale(parse.GetValue(size)!), parse.GetValue(seed), parse.GetValue(rounds), levels, parse.GetValue(json));
            try
            {
                var (rows, points) = await run.ExecuteAsync(chosen, cancellationToken);
                if (parse.GetValue(json))
                {
                    PrintJson(console, parse.GetValue(size)!, rows, points);
                }
                else
                {
                    PrintTable(console, parse.GetValue(size)!, rows, points);
                }

                if (parse.GetValue(chart) is { } chartPath)
                {
                    await File.WriteAllTextAsync(chartPath, BenchChart.Render(rows, points), cancellationToken);
                }

                var different = rows.Where(r => !r.Identical).ToList();
                foreach (var row in different)
                {
                    console.WriteError($"{row.Transform}: outputs differ between sequential and pipeline: {row.Difference}");
                }

                return different.Count > 0 ? ExitCodes.FilesFailed : ExitCodes.Success;
            }
            finally
            {
                if (parse.GetValue(keep))
                {
                    await console.Error.WriteLineAsync($"corpus kept in {work}");
                }
                else if (Directory.Exists(work))
                {
                    Directory.Delete(work, recursive: true);
                }
            }
        }));
        return command;
    }

    /// <summary>Scale factors of the suite's corpora for each size: small files, large files, CSV files.</summary>
    private static (double SmallFiles, double LargeFiles, double Csv) Scale(string size) => size switch
    {
        "large" => (1, 1, 1),
        "medium" => (0.5, 0.25, 0.5),
        _ => (0.1, 1 / 16.0, 0.1),
    };

    private static IReadOnlyList<int> ParseLevels(string? text)
    {
        if (text is null)
        {
            return [];
        }

        var levels = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var level) || level is < 1 or > 1024)
            {
                throw new PipelineOptionsException($"--sweep-parallelism: '{part}' is not a parallelism between 1 and 1024");
            }

            levels.Add(level);
        }

        return levels;
    }

    private static void PrintTable(CliConsole console, string size, IReadOnlyList<ComparisonResult> rows, IReadOnlyList<(string Transform, IReadOnlyList<(int Parallelism, ModeMeasurement Measurement)> Points)> sweep)
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

    private static void PrintJson(CliConsole console, string size, IReadOnlyList<ComparisonResult> rows, IReadOnlyList<(string Transform, IReadOnlyList<(int Parallelism, ModeMeasurement Measurement)> Points)> sweep)
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

    /// <summary>One bench: its corpora, generated on first use, and the measurements.</summary>
    private sealed class BenchRun(CliConsole console, string work, (double SmallFiles, double LargeFiles, double Csv) scale, int seed, int rounds, IReadOnlyList<int> levels, bool quiet)
    {
        public async Task<(List<ComparisonResult> Rows, List<(string, IReadOnlyList<(int, ModeMeasurement)>)> Sweep)> ExecuteAsync(IReadOnlyList<string> transforms, CancellationToken cancellationToken)
        {
            var rows = new List<ComparisonResult>();
            var sweep = new List<(string, IReadOnlyList<(int, ModeMeasurement)>)>();
            foreach (var name in transforms)
            {
                var (input, transform) = await PrepareAsync(name, cancellationToken);
                var options = new PipelineOptions(new FileSelection(input), Path.Join(work, "unused-output"));
                await SayAsync($"comparing {name} on {input} ...");
                rows.Add(await ComparisonRunner.RunAsync(transform, options, rounds, cancellationToken));
                if (levels.Count > 0)
                {
                    await SayAsync($"sweeping {name} over parallelism {string.Join(",", levels)} ...");
                    sweep.Add((name, await ParallelismSweep.RunAsync(transform, options, levels, rounds, cancellationToken)));
                }
            }

            return (rows, sweep);
        }

        private async Task<(string Input, IFileTransform Transform)> PrepareAsync(string name, CancellationToken cancellationToken)
        {
            switch (name)
            {
                case "hash":
                    await GenerateAsync("hash/small", CorpusKind.HashSmall, scale.SmallFiles);
                    await GenerateAsync("hash/large", CorpusKind.HashLarge, scale.LargeFiles);
                    return (Path.Join(work, "hash"), new HashTransform());
                case "gzip":
                    await GenerateAsync("gzip/small", CorpusKind.GzipSmall, scale.SmallFiles);
                    await GenerateAsync("gzip/large", CorpusKind.GzipLargeText, scale.LargeFiles);
                    return (Path.Join(work, "gzip"), new GzipTransform());
                case "gunzip":
                    await PrepareAsync("gzip", cancellationToken);
                    var compressed = Path.Join(work, "gunzip");
                    if (!Directory.Exists(compressed))
                    {
                        await SayAsync("compressing the gzip corpus for gunzip ...");
                        await FilePipeline.RunAsync(new GzipTransform(), new PipelineOptions(new FileSelection(Path.Join(work, "gzip")), compressed) { Journal = false }, null, cancellationToken);
                    }

                    return (compressed, new GunzipTransform());
                default:
                    await GenerateAsync("csv", CorpusKind.Csv, scale.Csv);
                    return (Path.Join(work, "csv"), new CsvTransform(new CsvTransformOptions { Select = ["id", "city", "amount"], Where = ["amount>500"] }));
            }
        }

        private async Task GenerateAsync(string relative, CorpusKind kind, double factor)
        {
            var folder = Path.Join(work, relative);
            if (Directory.Exists(folder))
            {
                return;
            }

            await SayAsync($"generating {relative} ...");
            SyntheticCorpus.Write(kind, folder, factor, seed);
        }

        private async Task SayAsync(string message)
        {
            if (!quiet && console.ErrorIsTerminal)
            {
                await console.Error.WriteLineAsync(message);
            }
        }
    }
}
