using System.CommandLine;
using System.Text.Json;
using Pipeline.Cli.Output;
using Pipeline.Cli.Transforms;
using Pipeline.Comparing;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline compare &lt;transform&gt; &lt;input-dir&gt;</c>: the sequential implementation against the pipeline on the
/// same inputs, alternately, each into its own temporary output; the outputs must be byte-identical.
/// </summary>
internal static class CompareCommand
{
    public static Command Create(CliConsole console, IReadOnlyList<TransformSpec> transforms)
    {
        var compare = new Command("compare", "Time the sequential implementation against the pipeline on the same inputs and check their outputs are identical");
        foreach (var spec in transforms)
        {
            var command = new Command(spec.Name, spec.Description);
            var job = new JobOptions(command, concurrency: true, spec.DefaultInclude);
            var rounds = OptionValues.WholeNumber("--rounds", "-r", "Measured rounds of each, after one warm-up of each (default: 3)", 1, ComparisonRunner.MaxRounds);
            var json = new Option<bool>("--json") { Description = "Print the result as one JSON object instead of a table" };
            command.Options.Add(rounds);
            command.Options.Add(json);
            var build = spec.AddOptions(command);
            command.SetAction((parse, cancellationToken) => CommandErrors.GuardAsync(console, parse, async () =>
            {
                // The output root is replaced by temporary folders; this one only satisfies validation, which comes
                // before anything is created, as does building the transform (which checks its options).
                var options = job.Options(parse, Path.Join(Path.GetTempPath(), "pipeline-compare-" + Guid.NewGuid().ToString("N")));
                options.Validate();
                var transform = build(parse);
                var result = await ComparisonRunner.RunAsync(transform, options, parse.ValueOr(rounds, 3), cancellationToken);
                if (parse.GetValue(json))
                {
                    PrintJson(console, result);
                }
                else
                {
                    PrintTable(console, result);
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
            }));
            compare.Subcommands.Add(command);
        }

        return compare;
    }

    private static void PrintTable(CliConsole console, ComparisonResult result)
    {
        var table = new Table().Border(console.TableBorder)
            .Title($"compare {result.Transform}: {Units.Count(result.Files)} files, {Units.Megabytes(result.Bytes)} MB, {result.Cores} cores, median of {result.Pipeline.RoundSeconds.Count}");
        table.AddColumn("mode").AddColumn("median s").AddColumn("files/s").AddColumn("MB/s").AddColumn("CPU s").AddColumn("peak WS MB");
        foreach (var column in table.Columns.Skip(1))
        {
            column.RightAligned();
        }

        AddRow(table, "sequential", result.Sequential);
        AddRow(table, "pipeline", result.Pipeline);
        var out_ = console.CreateOutConsole();
        out_.Write(table);
        console.Out.WriteLine(
            $"speedup {Units.Fixed(result.Speedup, 2)}x, efficiency {Units.Fixed(result.Efficiency, 2)} on {result.Cores} cores; outputs {(result.Identical ? "identical" : "DIFFER")}");
    }

    private static void AddRow(Table table, string mode, ModeMeasurement m) =>
        table.AddRow(
            mode,
            Units.Fixed(m.MedianSeconds, 3),
            Units.Fixed(m.FilesPerSecond, 0),
            Units.Fixed(m.MegabytesPerSecond, 1),
            Units.Fixed(m.CpuSeconds, 2),
            Units.Megabytes(m.PeakWorkingSetBytes));

    private static void PrintJson(CliConsole console, ComparisonResult result)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("transform", result.Transform);
            json.WriteNumber("files", result.Files);
            json.WriteNumber("bytes", result.Bytes);
            json.WriteNumber("cores", result.Cores);
            WriteMode(json, "sequential", result.Sequential);
            WriteMode(json, "pipeline", result.Pipeline);
            json.WriteNumber("speedup", Math.Round(result.Speedup, 3));
            json.WriteNumber("efficiency", Math.Round(result.Efficiency, 3));
            json.WriteBoolean("identical", result.Identical);
            json.WriteNumber("files_failed", result.FilesFailed);
            json.WriteEndObject();
        }

        console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteMode(Utf8JsonWriter json, string name, ModeMeasurement m)
    {
        json.WriteStartObject(name);
        json.WriteNumber("seconds", Math.Round(m.MedianSeconds, 6));
        json.WriteNumber("files_per_s", Math.Round(m.FilesPerSecond, 1));
        json.WriteNumber("mb_per_s", Math.Round(m.MegabytesPerSecond, 2));
        json.WriteNumber("cpu_seconds", Math.Round(m.CpuSeconds, 3));
        json.WriteNumber("peak_working_set_bytes", m.PeakWorkingSetBytes);
        json.WriteEndObject();
    }
}
