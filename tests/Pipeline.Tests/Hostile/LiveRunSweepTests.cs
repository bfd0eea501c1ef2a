using Pipeline.Tests.Support;

namespace Pipeline.Tests.Hostile;

/// <summary>
/// A run never touches another live run's files (issue #26). At start a run removes the temporary files a crashed run
/// left under its output folder; a folder below it may be the output of another run that is working now (its lock held
/// in its own <c>.pipeline</c>), whose temporary files are in flight. Those are left alone; a lock nobody holds was a
/// run that died, and its leftovers go. No link is followed while sweeping.
/// </summary>
public sealed class LiveRunSweepTests
{
    private const string TempName = "data.txt.0123456789ab.pipeline.tmp";

    [LinuxTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_AnotherLiveRunBelowTheOutput_LeavesItsTemporaryFilesAndSweepsADeadOnes(bool sequential)
    {
        using var c = new HostileCase();
        c.Write("in/f1.txt", "one");
        var live = c.Write("out/live/" + TempName, "in flight");
        var dead = c.Write("out/dead/" + TempName, "left by a crash");
        var linked = c.Write("elsewhere/" + TempName, "not ours");
        c.Symlink("out/link", c.Sub("elsewhere"));
        c.Write("out/dead/.pipeline/lock", string.Empty);

        // .NET takes an exclusive flock for FileShare.None: the test process is the live run working on out/live.
        Directory.CreateDirectory(c.Sub("out/live/.pipeline"));
        using var held = new FileStream(c.Sub("out/live/.pipeline/lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        var run = await c.RunAsync(["run", "hash", c.In, "-o", c.Out, .. OwnFileTests.Runner(sequential)]);

        HostileCase.AssertNoCrash(run);
        HostileCase.AssertExit(run, 0);
        Assert.Equal("in flight", await File.ReadAllTextAsync(live));
        Assert.False(File.Exists(dead), "the temporary file of a dead run was not swept");
        Assert.Equal("not ours", await File.ReadAllTextAsync(linked));
        HostileCase.AssertStderrContains(run, "removed 1 temporary file(s)");
    }
}
