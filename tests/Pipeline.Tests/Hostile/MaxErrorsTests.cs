using Pipeline.Tests.Support;

namespace Pipeline.Tests.Hostile;

/// <summary>
/// G. --max-errors under a flood of failures. The rule: stop taking files after N failures; files already in flight
/// finish, so a few more may fail, but not the whole tree.
/// </summary>
public sealed class MaxErrorsTests
{
    /// <summary>
    /// Failures allowed beyond the limit: the files in flight when the limit is reached. With -p 1 and --io-concurrency 1
    /// the stages hold at most a few batches; 64 is two full batches (FileBatch holds up to 32 small files), which is
    /// already generous: more than that means the intake did not stop when the limit was reached.
    /// </summary>
    private const int InFlight = 64;

    [LinuxTheory]
    [InlineData("fifos")]
    [InlineData("invalid .gz files")]
    public async Task Run_200FailuresWithMaxErrors5_StopsSoonAndSaysMaxErrors(string failing)
    {
        using var c = new HostileCase();
        string transform;
        if (failing == "fifos")
        {
            c.Fifo([.. Enumerable.Range(0, 200).Select(i => $"in/p{i:D3}")]);
            transform = "hash";
        }
        else
        {
            for (var i = 0; i < 200; i++)
            {
                c.Write($"in/f{i:D3}.gz", "this is not gzip data at all");
            }

            transform = "gunzip";
        }

        var run = await c.RunAsync("run", transform, c.In, "-o", c.Out, "--max-errors", "5", "-p", "1", "--io-concurrency", "1", "--json");

        c.AssertOutcome(run, 1, "max-errors");
        Assert.True(run.Summary.GetProperty("stopped_by_error_limit").GetBoolean(), run.ToString());
        var failed = run.Count("files_failed");
        Assert.True(failed is >= 5 and <= 5 + InFlight, $"{failed} files failed; at most 5 + {InFlight} in flight expected\n{run}");
    }
}
