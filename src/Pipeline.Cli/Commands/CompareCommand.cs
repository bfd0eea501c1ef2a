using System.CommandLine;
using System.Text.Json;
using Pipeline.Cli.Benchmarking;
using Pipeline.Cli.Output;
using Pipeline.Cli.Transforms;
using Pipeline.Cli.Comparing;
using Pipeline.IO;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline compare &lt;transform&gt; [input-dir]</c>: the sequential implementation against the pipeline on the
/// same inputs, in interleaved rounds, each run into its own temporary output; the outputs must be byte-identical.
/// Without a folder, on a seeded sample written to a temporary folder and removed afterwards.
/// </summary>
internal static class CompareCommand
{
    /// <summary>Measured rounds of each mode on the generated sample, unless <c>--rounds</c> says otherwise.</summary>
    public const int SampleRounds = 9;

    public static Command Create(CliConsole console, IReadOnlyList<TransformSpec> transforms)
    {
        var compare = new Command("compare", "Time the sequential implementation against the pipeline on the same inputs and check their outputs are identical");
        foreach (var spec in transforms)
        {
            var command = new Command(spec.Name, spec.Description);
            var input = OptionValues.OptionalText("input-dir", "The folder to process (default: a seeded sample written to a temporary folder, removed afterwards)");
            string? sample = null;
            command.Arguments.Add(input);
            var job = new JobOptions(command, concurrency: true, spec.DefaultInclude, parse => parse.GetValue(input) ?? sample!, spec.DefaultChunkSize);
            var rounds = OptionValues.WholeNumber("--rounds", "-r", "Measured rounds of each, after warm-up rounds repeated until the JIT has settled (default: 3; 9 on the generated sample)", 1, ComparisonRunner.MaxRounds);
            var json = new Option<bool>("--json") { Description = "Print the result as one JSON object instead of a table" };
            command.Options.Add(rounds);
            command.Options.Add(json);
            var build = spec.AddOptions(command);
            command.SetAction((parse, cancellationToken) => CommandErrors.GuardAsync(console, parse, async () =>
            {
                // The output root is replaced by temporary folders; this one only satisfies validation, which comes
                // before anything is created, as does building the transform (which checks its options).
                var scratchRoot = Path.Join(Path.GetTempPath(), "pipeline-compare-" + Guid.NewGuid().ToString("N"));
                var given = parse.GetValue(input) is not null;
                if (!given && !SampleCorpus.Transforms.Contains(spec.Name, StringComparer.Ordinal))
                {
                    throw new CliUsageException($"<input-dir>: compare {spec.Name} needs a folder (a sample is generated only for {string.Join(", ", SampleCorpus.Transforms)})");
                }

                sample = given ? null : TempFolder.NewPath("pipeline-sample-");
                try
                {
                    if (sample is not null)
                    {
                        // Empty until the options are checked; removed at the end whatever happens.
                        Directory.CreateDirectory(sample);
                    }

                    var options = job.Options(parse, scratchRoot);
                    options.Validate();
                    var transform = build(parse);
                    var processed = given ? null : await SampleCorpus.WriteAsync(spec.Name, sample!, GenerateCommand.DefaultSeed, cancellationToken);
                    // The sample's rounds take a few tenths of a second: nine of them steady the medians of a first run.
                    var result = await ComparisonRunner.RunAsync(transform, options, parse.ValueOr(rounds, given ? 3 : SampleRounds), cancellationToken);
                    if (parse.GetValue(json))
                    {
                        PrintJson(console, result, processed);
                    }
                    else
                    {
                        PrintTable(console, result, processed is null ? options.Selection.InputRoot : $"a sample of {processed}, written to {sample} and removed afterwards");
                    }

                    if (!result.Identical)
                    {
                        console.WriteError($"outputs differ between sequential and pipeline: {result.Difference}");
                        return ExitCodes.FilesFailed;
                    }

                    if (result.FilesFailed > 0)
                    {
                        console.WriteError($"{result.FilesFailed} file(s) failed; run `pipeline run` with --report to see which");
                        return ExitCodes.FilesFailed;
                    }

                    return ExitCodes.Success;
                }
                finally
                {
                    if (sample is not null && Directory.Exists(sample))
                    {
                        Directory.Delete(sample, recursive: true);
                    }
                }
            }));
            compare.Subcommands.Add(command);
        }

        return compare;
    }

    private static void PrintTable(CliConsole console, ComparisonResult result, string processed)
    {
        var table = new FittedTable(
            $"compare {result.Transform}: {Units.Count(result.Files)} files, {Units.Megabytes(result.Bytes)} MB, {result.Cores} cores, median (fastest-slowest) of {result.Pipeline.RoundSeconds.Count} rounds",
            labelled: true);
        table.AddColumn("mode", rightAligned: false).AddColumn("time").AddColumn("files/s").AddColumn("MB/s").AddColumn("CPU").AddColumn("peak WS MB").AddColumn("others' cores");
        AddRow(table, "sequential", result.Sequential, result);
        AddRow(table, "pipeline", result.Pipeline, result);
        console.WriteOutProse($"processed {processed}");
        table.Write(console.CreateOutConsole(), console.TableBorder);
        console.WriteOutProse(
            $"speedup {Figures.Speedup(result)}, efficiency {Units.Fixed(result.Efficiency, 2)} on {result.Cores} cores; outputs {(result.Identical ? "identical" : "DIFFER")}");
        foreach (var note in ComparisonNotes.For(result))
        {
            console.WriteOutProse(note);
        }
    }

    private static void AddRow(FittedTable table, string mode, ModeMeasurement m, ComparisonResult result) =>
        table.AddRow(
            mode,
            Figures.SecondsWithSpread(m),
            Units.Count((long)Math.Round(m.FilesPerSecond)),
            Figures.ThroughputWithSpread(m, result.Bytes).Replace(" MB/s", string.Empty, StringComparison.Ordinal),
            Figures.Seconds(m.CpuSeconds),
            Units.Megabytes(m.PeakWorkingSetBytes),
            m.OtherCoresBusy is { } others ? Units.Fixed(others, 1) : "n/a");

    private static void PrintJson(CliConsole console, ComparisonResult result, string? sample)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("transform", result.Transform);
            if (sample is not null)
            {
                json.WriteString("sample", sample);
            }

            WriteComparison(json, result);
            json.WriteEndObject();
        }

        console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>The fields of one comparison, shared by <c>compare --json</c> and <c>bench --json</c>.</summary>
    internal static void WriteComparison(Utf8JsonWriter json, ComparisonResult result)
    {
        json.WriteNumber("files", result.Files);
        json.WriteNumber("bytes", result.Bytes);
        json.WriteNumber("cores", result.Cores);
        WriteMode(json, "sequential", result.Sequential);
        WriteMode(json, "pipeline", result.Pipeline);
        json.WriteNumber("speedup", Math.Round(result.Speedup, 3));
        json.WriteNumber("speedup_low", Math.Round(result.SpeedupLow, 3));
        json.WriteNumber("speedup_high", Math.Round(result.SpeedupHigh, 3));
        json.WriteNumber("efficiency", Math.Round(result.Efficiency, 3));
        json.WriteBoolean("too_short_to_time", result.IsTooShortToTime);
        json.WriteBoolean("suspect", result.IsBeyondCores && !result.IsTooShortToTime);
        json.WriteStartArray("notes");
        foreach (var note in ComparisonNotes.For(result))
        {
            json.WriteStringValue(note);
        }

        json.WriteEndArray();
        if (result.OtherCoresBusy is { } others)
        {
            json.WriteNumber("other_cores_busy", Math.Round(others, 2));
        }
        else
        {
            json.WriteNull("other_cores_busy");
        }

        json.WriteBoolean("slowed_by_other_work", result.IsSlowedByOtherWork);
        json.WriteBoolean("identical", result.Identical);
        json.WriteNumber("files_failed", result.FilesFailed);
    }

    private static void WriteMode(Utf8JsonWriter json, string name, ModeMeasurement m)
    {
        json.WriteStartObject(name);
        json.WriteNumber("seconds", Math.Round(m.MedianSeconds, 6));
        json.WriteNumber("seconds_min", Math.Round(m.MinSeconds, 6));
        json.WriteNumber("seconds_max", Math.Round(m.MaxSeconds, 6));
        json.WriteStartArray("round_seconds");
        foreach (var seconds in m.RoundSeconds)
        {
            json.WriteNumberValue(Math.Round(seconds, 6));
        }

        json.WriteEndArray();
        json.WriteNumber("files_per_s", Math.Round(m.FilesPerSecond, 1));
        json.WriteNumber("mb_per_s", Math.Round(m.MegabytesPerSecond, 2));
        json.WriteNumber("cpu_seconds", Math.Round(m.CpuSeconds, 6));
        json.WriteNumber("peak_working_set_bytes", m.PeakWorkingSetBytes);
        if (m.OtherCoresBusy is { } others)
        {
            json.WriteNumber("other_cores_busy", Math.Round(others, 2));
        }
        else
        {
            json.WriteNull("other_cores_busy");
        }

        json.WriteEndObject();
    }
}
