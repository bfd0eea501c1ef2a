using System.CommandLine;
using Pipeline.Cli.Output;
using Pipeline.Cli.Transforms;
using Pipeline.Reporting;
using Pipeline.Running;
using Pipeline.Transforms;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline run &lt;transform&gt; &lt;input-dir&gt; -o &lt;output-dir&gt;</c>: one subcommand per transform.</summary>
internal static class RunCommand
{
    public static Command Create(CliConsole console, IReadOnlyList<TransformSpec> transforms)
    {
        var run = new Command("run", "Process every selected file through the pipeline");
        foreach (var spec in transforms)
        {
            var command = new Command(spec.Name, spec.Description);
            var job = new JobOptions(command, concurrency: true, spec.DefaultInclude);
            var output = new Option<string>("--output", "-o") { Description = "The folder outputs are written to (created if missing)", HelpName = "output-dir", Required = true };
            var report = new Option<string?>("--report") { Description = "Write a per-file CSV report here (path,status,bytes_in,bytes_out,milliseconds,error)", HelpName = "file.csv" };
            var json = new Option<bool>("--json") { Description = "Print the summary as one JSON object instead of a table" };
            command.Options.Add(output);
            command.Options.Add(report);
            command.Options.Add(json);
            var build = spec.AddOptions(command);
            command.SetAction((parse, cancellationToken) => CommandErrors.GuardAsync(console, parse, async () =>
            {
                var options = job.Options(parse, parse.GetValue(output)!);
                options.Validate();
                var transform = build(parse);
                return await ExecuteAsync(console, spec, transform, options, parse.GetValue(report), parse.GetValue(json), cancellationToken);
            }));
            run.Subcommands.Add(command);
        }

        return run;
    }

    private static async Task<int> ExecuteAsync(CliConsole console, TransformSpec spec, IFileTransform transform, PipelineOptions options, string? report, bool json, CancellationToken cancellationToken)
    {
        // Each failure is reported as it happens, one line naming the file and the reason.
        var progress = new InlineProgress<RunProgress>(p =>
        {
            if (p.LastResult is { Status: FileStatus.Failed } failed)
            {
                console.WriteError($"{failed.RelativePath}: {failed.Error}");
            }
        });
        var summary = await FilePipeline.RunAsync(transform, options, progress, cancellationToken);
        if (report is not null)
        {
            await RunReportWriter.WriteCsvAsync(summary, report, CancellationToken.None);
        }

        foreach (var warning in spec.Warnings(summary, options.OutputRoot))
        {
            await console.Error.WriteLineAsync(warning);
        }

        if (json)
        {
            SummaryPrinter.PrintJson(console, transform.Name, summary, spec.Counts(summary));
        }
        else
        {
            SummaryPrinter.PrintTable(console, transform.Name, summary, spec.Counts(summary));
        }

        if (summary.Cancelled)
        {
            console.WriteError("cancelled: files in flight were abandoned and no partial output was left");
            return ExitCodes.Cancelled;
        }

        return summary.FilesFailed > 0 ? ExitCodes.FilesFailed : ExitCodes.Success;
    }
}
