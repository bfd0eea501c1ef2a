using System.Globalization;
using Pipeline.Tests.Hostile;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Exec;

/// <summary>
/// How a command is started and ended, seen from the command: signals as a shell leaves them, nothing it started
/// outliving it, its standard error kept out of the terminal and in the log, and the file it reads checked unchanged.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ExecProcessTests
{
    [LinuxTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunExec_SucceededCommandWritesToStderr_LineGoesToTheLogNotTheTerminal(bool sequential)
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha\n");
        c.Write("in/b.txt", "beta\n");
        var log = c.Sub("run.log");

        var run = await c.RunAsync(ExecRun.Args(c, sequential, "--log", log, "--shell", "case {rel} in a.txt) echo \"note on $PIPELINE_RELATIVE_PATH\" >&2;; esac; cat"));

        c.AssertOutcome(run, 0);
        Assert.DoesNotContain("note on", run.Stderr, StringComparison.Ordinal);
        var lines = File.ReadAllLines(log);
        Assert.Single(lines, l => l.EndsWith("stderr a.txt: note on a.txt", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("stderr b.txt", StringComparison.Ordinal));
        ExecRun.AssertOutputs(new Dictionary<string, byte[]> { ["a.txt"] = "alpha\n"u8.ToArray(), ["b.txt"] = "beta\n"u8.ToArray() }, c.Out, run);
    }

    [LinuxFact]
    public async Task RunExec_SucceededCommandWritesTwelveLinesToStderr_TheLogHasEveryOne()
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha\n");
        var log = c.Sub("run.log");

        var run = await c.RunAsync(ExecRun.Args(c, false, "--log", log, "--shell", "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo \"line$i\" >&2; done; cat"));

        c.AssertOutcome(run, 0);
        var line = Assert.Single(File.ReadAllLines(log), l => l.Contains("stderr a.txt: ", StringComparison.Ordinal));
        Assert.EndsWith("stderr a.txt: " + string.Join(" | ", Enumerable.Range(1, 12).Select(i => $"line{i}")), line, StringComparison.Ordinal);
    }

    [LinuxTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunExec_CommandLeavesABackgroundProcessWritingToItsOutput_ItIsKilledWhenTheCommandExitsAndTheOutputIsWhole(bool sequential)
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha\n");
        var pidFile = c.Sub("background.pid");

        // The background job holds the command's standard output (the output file) and would write to it after the
        // output was put in place.
        var run = await c.RunAsync(ExecRun.Args(c, sequential, "--", "sh", "-c", "(sleep 30; echo late) & echo $! > \"$0\"; cat", pidFile));

        c.AssertOutcome(run, 0);
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(20), $"the run waited for the background job\n{run}");
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        ExecRun.AssertAllDead([pid], "the command's background job");
        ExecRun.AssertOutputs(new Dictionary<string, byte[]> { ["a.txt"] = "alpha\n"u8.ToArray() }, c.Out, run);
    }

    [LinuxTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunExec_Command_StartsWithNoSignalBlockedAndSigpipeAtItsDefault(bool sequential)
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha\n");

        // The runtime ignores SIGPIPE for itself; a command that inherited that would not stop when its reader does.
        // grep reads its own status, started by us directly: a shell's would not do (dash blocks every signal in
        // itself while it starts a child, so a child reading the shell's status can catch that moment).
        var run = await c.RunAsync(ExecRun.Args(c, sequential, "--", "grep", "-E", "^Sig(Ign|Blk)", "/proc/self/status"));

        c.AssertOutcome(run, 0);
        var status = File.ReadAllLines(Path.Join(c.Out, "a.txt")).ToDictionary(l => l.Split(':')[0], l => ulong.Parse(l.Split(':')[1].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.Equal(0UL, status["SigBlk"]);
        Assert.Equal(0UL, status["SigIgn"] & (1UL << (13 - 1)));
        Assert.Equal(0UL, status["SigIgn"] >> 31); // nor any of the real-time signals (32 and 33 came ignored)
    }

    [LinuxTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunExec_InputGrowsWhileTheCommandReadsIt_FileFailsChangedAndLeavesNoOutput(bool sequential)
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha\n");
        c.Write("in/b.txt", "beta\n");

        var run = await c.RunAsync(ExecRun.Args(c, sequential, "--json", "--shell", "cat; case {rel} in b.txt) echo more >> \"$PIPELINE_INPUT\";; esac"));

        Assert.True(run.ExitCode == 1, run.ToString()); // (the input changed: that is the case)
        run.AssertFailed("b.txt", "changed during the run");
        ExecRun.AssertOutputs(new Dictionary<string, byte[]> { ["a.txt"] = "alpha\n"u8.ToArray() }, c.Out, run);
    }
}
