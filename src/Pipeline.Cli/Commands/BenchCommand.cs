using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Pipeline.Cli.Benchmarking;
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
        var size = OptionValues.Choice("--size", null, "Corpus size: small (~70 MB, seconds), medium (~400 MB), large (the suite's full corpora, ~2.5 GB) (default: small)", "size", "small", "medium", "large");
        var transforms = OptionValues.Text("--transforms", "-t", $"Comma-separated transforms to run (default: {string.Join(',', AllTransforms)})", "list", TransformsProblem);
        var rounds = OptionValues.WholeNumber("--rounds", "-r", "Measured rounds of each mode, after one warm-up (default: 3)", 1, ComparisonRunner.MaxRounds);
        var json = new Option<bool>("--json") { Description = "Print the results as one JSON object" };
        var chart = OptionValues.Text("--chart", null, "Write an SVG chart of throughput and speedup per transform (and of the sweep) here; its folder must exist", "file.svg", OptionValues.PathProblem);
        var sweep = OptionValues.Text("--sweep-parallelism", null, "Also measure the pipeline at these degrees of parallelism, e.g. 1,2,4,8", "list", LevelsProblem);
        var keep = new Option<bool>("--keep") { Description = "Keep the generated corpus (its folder is printed); a --work-dir that existed before is always kept" };
        var workDir = OptionValues.Text("--work-dir", null, "Where to generate the corpus, or reuse one kept earlier (default: a new temporary folder)", "dir", OptionValues.PathProblem);
        var seed = GenerateCommand.SeedOption("Random seed of the corpus (default: 42)");
        foreach (var option in (Option[])[size, transforms, rounds, json, chart, sweep, keep, workDir, seed])
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) => CommandErrors.GuardAsync(console, parse, async () =>
        {
            var chosen = Split(parse.ValueOr(transforms, null) ?? string.Join(',', AllTransforms));
            var levels = Split(parse.ValueOr(sweep, null) ?? string.Empty).Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToList();
            var sizeName = parse.ValueOr(size, "small")!;

            // Checked before the corpus is generated: a bad --chart or --work-dir must not cost a whole bench, nor create anything.
            var problems = new List<string>();
            if (parse.GetValue(chart) is { } chartPath)
            {
                OutputFilePaths.CheckFile("--chart", chartPath, null, problems);
            }

            var given = parse.GetValue(workDir);
            var work = Path.GetFullPath(given ?? Path.Join(Path.GetTempPath(), "pipeline-bench-" + Guid.NewGuid().ToString("N")[..8]));
            if (File.Exists(work))
            {
                problems.Add($"--work-dir: {OptionValues.Quote(given!)} is a file, not a folder");
            }

            if (problems.Count > 0)
            {
                throw new CliUsageException(problems);
            }

            // A folder the user named and that already existed is theirs: it is never removed, only added to.
            var removeWork = !parse.GetValue(keep) && !Directory.Exists(work);
            var run = new BenchRun(console, work, Scale(sizeName), parse.ValueOr(seed, GenerateCommand.DefaultSeed), parse.ValueOr(rounds, 3), levels, parse.GetValue(json));
            try
            {
                var (rows, points) = await run.ExecuteAsync(chosen, cancellationToken);
                if (parse.GetValue(json))
                {
                    PrintJson(console, sizeName, rows, points);
                }
                else
                {
                    PrintTable(console, sizeName, rows, points);
                }

                if (parse.GetValue(chart) is { } chartFile)
                {
                    await File.WriteAllTextAsync(chartFile, BenchChart.Render(rows, points), cancellationToken);
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
                if (removeWork)
                {
                    if (Directory.Exists(work))
                    {
                        Directory.Delete(work, recursive: true);
                    }
                }
                else
                {
                    await console.Error.WriteLineAsync($"corpus kept in {work}");
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

    private static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Why a <c>--transforms</c> list is refused, or <see langword="null"/>.</summary>
    private static string? TransformsProblem(string list)
    {
        var chosen = Split(list);
        var unknown = chosen.Where(t => !AllTransforms.Contains(t, StringComparer.Ordinal)).ToList();
        return chosen.Length == 0 ? "names no transform; choose from " + string.Join(", ", AllTransforms)
            : unknown.Count > 0 ? $"names unknown transform(s) {string.Join(", ", unknown)}; choose from {string.Join(", ", AllTransforms)}"
            : null;
    }

    /// <summary>Why a <c>--sweep-parallelism</c> list is refused, or <see langword="null"/>.</summary>
    private static string? LevelsProblem(string list)
    {
        var parts = Split(list);
        if (parts.Length == 0)
        {
            return "names no parallelism; give e.g. 1,2,4,8";
        }

        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var level) || level is < 1 or > 1024)
            {
                return $"has '{part}', not a parallelism from 1 to 1024";
            }
        }

        return null;
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
