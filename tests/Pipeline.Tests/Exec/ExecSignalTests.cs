using System.Text;
using Pipeline.Tests.Hostile;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Exec;

/// <summary>
/// Commands that outlive their welcome. The rules: a command past <c>--timeout</c> is killed with everything it
/// started and its file fails; a signal to the run ends it promptly, kills every command it started and their
/// children, and leaves no partial output, so that <c>--resume</c> finishes the job as a clean run would have.
/// </summary>
public sealed class ExecSignalTests
{
    [LinuxTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunExec_TimeoutOnACommandWithABackgroundChild_FailsTheFileAsTimedOutAndKillsTheChild(bool sequential)
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha");
        c.Write("in/b.txt", "beta");
        var pids = c.Mkdir("pids");

        // The command's own child, in the background, would sleep for a minute; the command waits for it.
        var run = await c.RunAsync(ExecRun.Args(c, sequential, "--json", "--timeout", "3", "--", "sh", "-c", "sleep 60 & echo $! > \"$0\"; wait", Path.Join(pids, "{#}")));

        c.AssertOutcome(run, 1, "timed out after 3 s");
        Assert.Equal(0, run.Count("files_ok"));
        run.AssertFailed("a.txt", "timed out after 3 s");
        run.AssertFailed("b.txt", "timed out after 3 s");
        ExecRun.AssertAllDead(Directory.EnumerateFiles(pids).Select(LinuxProcess.ReadPid), "the commands' background children");
        Assert.Equal(2, Directory.EnumerateFiles(pids).Count());
        ExecRun.AssertOutputs(new Dictionary<string, byte[]>(), c.Out, run);
    }

    [LinuxTheory]
    [InlineData(SignalTests.SigTerm, 143, false)]
    [InlineData(SignalTests.SigTerm, 143, true)]
    [InlineData(SignalTests.SigInt, 130, false)]
    [InlineData(SignalTests.SigInt, 130, true)]
    [InlineData(SignalTests.SigHup, 129, false)]
    [InlineData(SignalTests.SigHup, 129, true)]
    public async Task RunExec_SignalWhileCommandsRun_EndsPromptlyKillsThemAllAndResumeMatchesACleanRun(int signal, int exitCode, bool sequential)
    {
        using var c = new HostileCase();
        for (var i = 1; i <= 5; i++)
        {
            c.Write($"in/f{i}.txt", $"file {i}: slow or not\n");
        }

        var pids = c.Mkdir("pids");
        var marker = c.Write("MARKER", "while this is here, every command waits");

        // Run in the case's folder: each command records its pid, then while MARKER is there waits for a child that sleeps.
        // The same command, once MARKER is gone, is a plain filter: the resumed run and the clean run can be compared.
        string[] options = ["-p", "3", "--shell", "echo $$ > pids/{#}.sh; if [ -e MARKER ]; then sleep 30 & echo $! > pids/{#}.sleep; wait; fi; tr a-z A-Z < {} > {out}"];
        using var child = c.Start(new ChildSettings(), ExecRun.Args(c, sequential, options));
        var running = sequential ? 1 : 3;
        await SignalTests.WaitUntilAsync(child, () => Directory.EnumerateFiles(pids, "*.sleep").Count(f => File.ReadAllText(f).EndsWith('\n')) == running);
        var run = await SignalTests.SignalAndWaitAsync(child, signal);

        c.AssertOutcome(run, exitCode, "cancelled");
        var recorded = Directory.EnumerateFiles(pids).ToList();
        Assert.Equal(2 * running, recorded.Count); // no command started after the signal
        ExecRun.AssertAllDead(recorded.Select(LinuxProcess.ReadPid), "commands or their children");
        ExecRun.AssertOutputs(new Dictionary<string, byte[]>(), c.Out, run);

        File.Delete(marker);
        var resumed = await c.RunAsync(ExecRun.Args(c, sequential, ["--resume", "--json", .. options]));
        c.AssertOutcome(resumed, 0);
        Assert.Equal((5L, 0L), (resumed.Count("files_ok"), resumed.Count("files_skipped")));

        var clean = await c.RunAsync(["run", "exec", c.In, "-o", c.Sub("clean"), .. options]);
        c.AssertOutcome(clean, 0);
        var cleanOutputs = ExecRun.Outputs(c.Sub("clean"));
        Assert.Equal(Encoding.ASCII.GetBytes("FILE 1: SLOW OR NOT\n"), cleanOutputs["f1.txt"]);
        ExecRun.AssertOutputs(cleanOutputs, c.Out, resumed);
    }
}
