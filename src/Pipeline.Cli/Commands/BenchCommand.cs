using System.CommandLine;
using System.Globalization;
using Pipeline.Cli.Benchmarking;
using Pipeline.Cli.Output;
using Pipeline.Cli.Comparing;
using Pipeline.IO;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline bench</c>: generates a seeded corpus in a temporary folder, runs <c>compare</c> for each transform on
/// it, and prints one table (or JSON, or an SVG chart); the corpus is removed afterwards unless <c>--keep</c>.
/// </summary>
internal static class BenchCommand
{
    private static readonly string[] AllTransforms = ["hash", "gzip", "gunzip", "csv"];

    /// <summary>What <c>--transforms</c> accepts: the default set, and zstd's (left out of the default to keep a bench's length as it was).</summary>
    private static readonly string[] AcceptedTransforms = [.. AllTransforms, "zstd", "unzstd", "exec"]; // not in the default set: asked for by name

    public static Command Create(CliConsole console)
    {
        var command = new Command("bench", "Generate a seeded corpus and compare sequential against pipeline on each of the throughput suite's workloads, in one table");
        var size = OptionValues.Choice("--size", null, "Corpus size: small (~70 MB, seconds), medium (~400 MB), large (the suite's full corpora, ~2.5 GB) (default: small)", "size", "small", "medium", "large");
        var transforms = OptionValues.Text("--transforms", "-t", $"Comma-separated transforms to run, each on its workloads (hash: hash-small and hash-large; gzip: gzip-small and gzip-large-text; zstd: zstd-small and zstd-large-text; exec: tr a-z A-Z per file of gzip-small), or single workloads by name (default: {string.Join(',', AllTransforms)})", "list", TransformsProblem);
        var rounds = OptionValues.WholeNumber("--rounds", "-r", "Measured rounds of each mode, after one warm-up (default: 3)", 1, ComparisonRunner.MaxRounds);
        var json = new Option<bool>("--json") { Description = "Print the results as one JSON object" };
        var chart = OptionValues.Text("--chart", null, "Write an SVG chart here: a panel per workload (throughput of each mode with the rounds' spread, and the speedup), and with --sweep-parallelism the speedup against parallelism; its folder must exist", "file.svg", OptionValues.PathProblem);
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
            var work = Path.GetFullPath(given ?? TempFolder.NewPath("pipeline-bench-"));
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

            // Every timed run writes under here, and it is removed once, at the end: deleting a run's files just before
            // the next timed run slows that run's file creation (ext4 skips inodes freed in the last minute).
            var scratch = TempFolder.NewPath("pipeline-bench-out-");
            var seedValue = parse.ValueOr(seed, GenerateCommand.DefaultSeed);
            var roundCount = parse.ValueOr(rounds, 3);
            var run = new BenchRun(console, work, scratch, Scale(sizeName), seedValue, roundCount, levels, parse.GetValue(json));
            try
            {
                var rows = await run.ExecuteAsync(chosen, cancellationToken);
                var context = BenchContext.Current($"--size {sizeName}, seed {seedValue}, {roundCount} rounds");
                if (parse.GetValue(json))
                {
                    BenchResultsPrinter.PrintJson(console, context, rows);
                }
                else
                {
                    BenchResultsPrinter.PrintTable(console, context, rows);
                }

                if (parse.GetValue(chart) is { } chartFile)
                {
                    await File.WriteAllTextAsync(chartFile, BenchChart.Render(context, rows), cancellationToken);
                }

                var different = rows.Where(r => !r.Comparison.Identical).ToList();
                foreach (var row in different)
                {
                    console.WriteError($"{row.Workload}: outputs differ between sequential and pipeline: {row.Comparison.Difference}");
                }

                return different.Count > 0 ? ExitCodes.FilesFailed : ExitCodes.Success;
            }
            finally
            {
                if (Directory.Exists(scratch))
                {
                    Directory.Delete(scratch, recursive: true);
                }

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

    /// <summary>The names of a list, each as <c>--transforms</c> spells it when it names one in any case.</summary>
    private static string[] Split(string list) =>
        [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => OptionValues.Canonical(t, [.. AcceptedTransforms, .. BenchRun.AllWorkloads]) ?? t)];

    /// <summary>Why a <c>--transforms</c> list is refused, or <see langword="null"/>.</summary>
    private static string? TransformsProblem(string list)
    {
        var chosen = Split(list);
        var unknown = chosen.Where(t => !AcceptedTransforms.Contains(t, StringComparer.Ordinal) && !BenchRun.AllWorkloads.Contains(t, StringComparer.Ordinal)).ToList();
        return chosen.Length == 0 ? "names no transform; choose from " + string.Join(", ", AcceptedTransforms)
            : unknown.Count > 0 ? $"names unknown transform(s) {string.Join(", ", unknown)}; choose from {string.Join(", ", AcceptedTransforms)} (or one workload: {string.Join(", ", BenchRun.AllWorkloads)})"
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
}
