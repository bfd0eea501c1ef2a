using System.CommandLine;
using Pipeline.Running;
using Pipeline.Sources;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline list &lt;input-dir&gt;</c>: the files a run would take, one relative path a line, in order.</summary>
internal static class ListCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("list", "Print the relative paths a run would take, one a line, in the order LC_ALL=C sort gives (UTF-8 bytes)");
        var job = new JobOptions(command, concurrency: false);
        var shard = OptionValues.Shard("List only the files shard I of N takes (see run --shard); auto/N takes I from " + string.Join(", ", Pipeline.Sharding.Shard.IndexVariables));
        command.Options.Add(shard);
        command.SetAction((parse, cancellationToken) => CommandErrors.GuardAsync(console, parse, async () =>
        {
            var selection = job.Selection(parse);

            // The same checks as a run's (input folder, patterns), before anything is read; list writes nothing, so the
            // output folder is a name that cannot exist inside the input.
            new PipelineOptions(selection, Path.Join(selection.InputRoot, ".pipeline-list-" + Guid.NewGuid().ToString("N"))).Validate();

            var only = parse.GetValue(shard);
            int links = 0, listed = 0;
            var patterns = job.PatternUse(parse, selection);
            foreach (var file in GlobFileSource.Enumerate(selection, _ => links++, cancellationToken))
            {
                listed++;
                patterns?.Saw(file.RelativePath);
                if (only is not null && !only.Contains(file.RelativePath))
                {
                    continue;
                }

                if (file.EnumerationError is { } error)
                {
                    console.WriteError($"{file.RelativePath}: {error}");
                    continue;
                }

                await console.Out.WriteLineAsync(file.RelativePath);
            }

            // On stderr: stdout stays a list of paths for a pipe.
            if (listed == 0 && job.NoMatchWarning(parse, selection) is { } warning)
            {
                await console.Error.WriteLineAsync(warning);
            }

            foreach (var unused in patterns?.Warnings(cancellationToken) ?? [])
            {
                await console.Error.WriteLineAsync(unused);
            }

            if (Output.SummaryPrinter.LinksNotFollowed(links) is { } note)
            {
                await console.Error.WriteLineAsync("note: " + note);
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
