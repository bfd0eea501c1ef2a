using Pipeline.Cli.Output;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Transforms;

namespace Pipeline.Cli.Commands;

/// <summary>The run command, continued: --dry-run, what a run would do, listed without doing it.</summary>
internal static partial class RunCommand
{
    /// <summary>Lists what a run would do; with <paramref name="quiet"/>, only the final summary line.</summary>
    private static async Task<int> DryRunAsync(CliConsole console, IFileTransform transform, PipelineOptions options, bool quiet, string? noMatch, UnusedPatterns? patterns, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(options.Selection.InputRoot))
        {
            throw new CliUsageException($"input folder not found: {options.Selection.InputRoot}");
        }

        int process = 0, skip = 0, fail = 0, links = 0;
        var linkLines = new List<string>();
        foreach (var planned in RunPlanner.Plan(transform, options, path => { links++; linkLines.Add(path); }, cancellationToken))
        {
            // The links left out before this file, in the walk's order.
            await WriteLinksAsync();
            patterns?.Saw(planned.File.RelativePath);
            if (planned.File.EnumerationError is { } reason)
            {
                // Known before reading: a special file, a broken link, a name collision. Errors, so shown even when quiet.
                fail++;
                await console.Out.WriteLineAsync($"fail     {planned.File.RelativePath}: {reason}");
            }
            else if (planned.Skip)
            {
                skip++;
                if (quiet)
                {
                    continue;
                }

                await console.Out.WriteLineAsync($"skip     {planned.File.RelativePath}  (done by an earlier run: same size, time and options)");
            }
            else
            {
                process++;
                if (quiet)
                {
                    continue;
                }

                await console.Out.WriteLineAsync(planned.OutputPath is { } output
                    ? $"process  {planned.File.RelativePath} -> {output}"
                    : $"process  {planned.File.RelativePath}");
                if (transform is Exec.ExecTransform exec)
                {
                    await console.Out.WriteLineAsync("         $ " + exec.CommandLineFor(planned.File, options.OutputRoot));
                }
            }
        }

        await WriteLinksAsync();
        if (noMatch is not null && process + skip + fail == 0)
        {
            await console.Error.WriteLineAsync(noMatch);
        }

        foreach (var unused in patterns?.Warnings(cancellationToken) ?? [])
        {
            await console.Error.WriteLineAsync(unused);
        }

        // A pattern that took nothing makes a run write nothing, its aggregate outputs included: the dry run says the same.
        var takesNothing = noMatch is not null && process + skip + fail == 0;
        foreach (var aggregate in quiet || takesNothing ? [] : transform.CreateAggregateOutputs([]))
        {
            await console.Out.WriteLineAsync(options.Shard is null ? $"write    {aggregate.RelativePath}" : $"write    this shard's part of {aggregate.RelativePath} (pipeline merge joins the parts)");
        }

        if (!quiet && SummaryPrinter.LinksNotFollowed(links) is { } note)
        {
            await console.Out.WriteLineAsync(note);
        }

        var failing = fail > 0 ? $", {fail} that would fail" : string.Empty;
        var leftOut = links > 0 ? $", {links} symbolic link{(links == 1 ? string.Empty : "s")} not followed" : string.Empty;
        await console.Out.WriteLineAsync($"dry run: {process} to process, {skip} to skip{failing}{leftOut}, into {options.OutputRoot}; nothing was touched");
        return fail > 0 ? ExitCodes.FilesFailed : ExitCodes.Success;

        async Task WriteLinksAsync()
        {
            foreach (var path in quiet ? [] : linkLines)
            {
                await console.Out.WriteLineAsync($"link     {path}  (symbolic link, not followed)");
            }

            linkLines.Clear();
        }
    }
}
