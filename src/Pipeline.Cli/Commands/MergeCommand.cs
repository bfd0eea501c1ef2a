using System.CommandLine;
using System.Globalization;
using Pipeline.Sharding;
using Pipeline.Unattended;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline merge &lt;output&gt; [--shards N]</c>: joins the parts the shards of one job (<c>run --shard</c>) left in
/// their shared output folder into the final aggregate outputs and report, byte for byte what one run writes.
/// Exit 0 joined; 1 joined, but files failed in some shards (named); 2 a shard missing, unfinished or run with other
/// settings (named), nothing written; 75 a shard still running.
/// </summary>
internal static class MergeCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("merge", "Join the aggregate outputs (manifest, bad-rows.csv, --report) of the shards of one job (run --shard) into what one run writes");
        var output = OptionValues.RequiredText("output-dir", "The output folder the shards shared");
        command.Arguments.Add(output);
        var shards = OptionValues.WholeNumber("--shards", "-N", "How many shards the job had (default: the count in the output folder's shard folders, if they all have one)", 1, Shard.MaxCount);
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print nothing but errors" };
        command.Options.Add(shards);
        command.Options.Add(quiet);
        command.SetAction((parse, cancellationToken) => CommandErrors.GuardAsync(console, parse, async () =>
        {
            var root = parse.GetValue(output)!;
            int? count = parse.GetResult(shards) is { Implicit: false } ? parse.GetValue(shards) : null;
            ShardMergeResult result;
            try
            {
                result = await ShardMerger.MergeAsync(root, count, cancellationToken);
            }
            catch (ShardMergeException ex)
            {
                foreach (var problem in ex.Problems)
                {
                    console.WriteError(problem);
                }

                console.WriteError("nothing was merged");
                return ExitCodes.BadArguments;
            }
            catch (OutputLockedException ex)
            {
                console.WriteError(ex.Message + " (a shard may still be running: merge once every shard has finished)");
                return ExitCodes.OutputLocked;
            }

            if (!parse.GetValue(quiet))
            {
                var written = string.Join(", ", result.Outputs.Select(p => OptionValues.Quote(p)));
                await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"merged {result.ShardCount} shard(s): {result.FilesFound} files found, {result.FilesSucceeded} succeeded, {result.FilesSkipped} skipped (done earlier), {result.FilesFailed} failed; wrote {(written.Length > 0 ? written : "nothing (the transform has no aggregate output)")}"));
            }

            if (result.FilesFailed > 0)
            {
                console.WriteError(string.Create(CultureInfo.InvariantCulture,
                    $"{result.FilesFailed} file(s) failed in shard(s) {string.Join(", ", result.ShardsWithFailures)}: they are left out of the outputs; see those shards' logs or --report"));
                return ExitCodes.FilesFailed;
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
