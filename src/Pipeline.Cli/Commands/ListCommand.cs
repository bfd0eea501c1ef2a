using System.CommandLine;
using Pipeline.Sources;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline list &lt;input-dir&gt;</c>: the files a run would take, one relative path a line, in order.</summary>
internal static class ListCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("list", "Print the relative paths a run would take, one a line, in ordinal order");
        var job = new JobOptions(command, concurrency: false);
        command.SetAction((parse, cancellationToken) => CommandErrors.GuardAsync(console, parse, async () =>
        {
            var selection = job.Selection(parse);
            if (!Directory.Exists(selection.InputRoot))
            {
                throw new Running.PipelineOptionsException($"input folder not found: {selection.InputRoot}");
            }

            foreach (var file in GlobFileSource.Enumerate(selection, cancellationToken))
            {
                if (file.EnumerationError is { } error)
                {
                    console.WriteError($"{file.RelativePath}: {error}");
                    continue;
                }

                await console.Out.WriteLineAsync(file.RelativePath);
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
