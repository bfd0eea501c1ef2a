using Pipeline.Tests.Support;

namespace Pipeline.Tests.Hostile;

/// <summary>
/// Exit codes keep their promise (issue #26): an output folder that cannot be made or written is a configuration error
/// found before any file is processed (exit 2, one line saying why), and exit 75 means only that a live run holds the
/// lock; any other failure to take it says what it is and exits 2.
/// </summary>
public sealed class UnusableOutputTests
{
    public static TheoryData<string, bool> Outputs()
    {
        var data = new TheoryData<string, bool>();
        foreach (var output in (string[])["/proc/x", "/proc", "below a file"])
        {
            data.Add(output, false);
            data.Add(output, true);
        }

        return data;
    }

    [LinuxTheory]
    [MemberData(nameof(Outputs))]
    public async Task Run_OutputFolderCannotBeMade_ExitsTwoSayingWhyBeforeAnyFile(string output, bool sequential)
    {
        using var c = new HostileCase();
        c.Write("in/f1.txt", "one");
        var file = c.Write("afile", "a file\n");
        var (folder, expected) = output switch
        {
            "below a file" => (Path.Join(file, "sub"), $"error: {file}: is a regular file, not a folder"),
            "/proc" => ("/proc", "error: /proc/.pipeline: cannot be created: "),
            _ => (output, $"error: {output}: cannot be created: "),
        };

        var run = await c.RunAsync(["run", "hash", c.In, "-o", folder, .. OwnFileTests.Runner(sequential)]);

        c.AssertOutcome(run, 2);
        Assert.StartsWith(expected, Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.Equal("a file\n", await File.ReadAllTextAsync(file));
    }

    [MountFact("to mount a read-only tmpfs")]
    public async Task Run_OutputOnAReadOnlyFileSystem_ExitsTwoSayingSo()
    {
        foreach (var sequential in (bool[])[false, true])
        {
            using var c = new HostileCase();
            c.Write("in/f1.txt", "one");
            var mount = c.Mkdir("ro");
            Assert.True(c.TryMount(mount, "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs"));

            var run = await c.RunAsync(["run", "hash", c.In, "-o", Path.Join(mount, "out"), .. OwnFileTests.Runner(sequential)]);

            c.AssertOutcome(run, 2);
            Assert.Equal($"error: {Path.Join(mount, "out")}: cannot be created: read-only file system", Assert.Single(run.ErrorLines));
        }
    }

    [MountFact("to remount a tmpfs read-only")]
    public async Task Run_LockOnAReadOnlyFileSystem_ExitsTwoNotSeventyFive()
    {
        foreach (var sequential in (bool[])[false, true])
        {
            using var c = new HostileCase();
            c.Write("in/f1.txt", "one");
            var mount = c.Mkdir("fs");
            Assert.True(c.TryMount(mount, "-t", "tmpfs", "-o", "size=1m", "tmpfs"));
            var output = Path.Join(mount, "out");
            HostileCase.AssertExit(await c.RunAsync("run", "hash", c.In, "-o", output, "-q"), 0);
            c.Sh("mount -o remount,ro \"$1\"", mount);

            var run = await c.RunAsync(["run", "hash", c.In, "-o", output, .. OwnFileTests.Runner(sequential)]);

            c.AssertOutcome(run, 2);
            Assert.Equal($"error: {Path.Join(output, ".pipeline", "lock")}: cannot be opened or created: read-only file system", Assert.Single(run.ErrorLines));
        }
    }

    [RootFact("to run as a user who cannot write the output's folder")]
    public async Task Run_OutputInAFolderTheUserCannotWrite_ExitsTwoSayingPermissionDenied()
    {
        foreach (var sequential in (bool[])[false, true])
        {
            using var c = new HostileCase();
            c.Write("in/f1.txt", "one");
            var locked = c.Mkdir("locked"); // root's, 0755

            var run = await c.RunAsync(new ChildSettings(Unprivileged: true), ["run", "hash", c.In, "-o", Path.Join(locked, "out"), .. OwnFileTests.Runner(sequential)]);

            c.AssertOutcome(run, 2);
            Assert.Equal($"error: {Path.Join(locked, "out")}: cannot be created: permission denied", Assert.Single(run.ErrorLines));
        }
    }

    [RootFact("to run as a user who cannot open root's lock")]
    public async Task Run_LockTheUserCannotOpen_ExitsTwoNotSeventyFive()
    {
        using var c = new HostileCase();
        c.Write("in/f1.txt", "one");
        HostileCase.AssertExit(await c.RunAsync("run", "hash", c.In, "-o", c.Out, "-q"), 0);
        c.Sh("chmod 777 \"$1\" \"$1/.pipeline\"", c.Out); // the lock itself stays root's, 0644

        var run = await c.RunAsync(new ChildSettings(Unprivileged: true), "run", "hash", c.In, "-o", c.Out);

        c.AssertOutcome(run, 2);
        Assert.Equal($"error: {Path.Join(c.Out, ".pipeline", "lock")}: cannot be opened or created: permission denied", Assert.Single(run.ErrorLines));
    }

    [LinuxFact]
    public async Task Run_LockHeldByALiveProcess_ExitsSeventyFive()
    {
        using var c = new HostileCase();
        c.Write("in/f1.txt", "one");
        Directory.CreateDirectory(Path.Join(c.Out, ".pipeline"));

        // .NET takes an exclusive flock for FileShare.None, as a live run holds it.
        using (new FileStream(Path.Join(c.Out, ".pipeline", "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var run = await c.RunAsync("run", "hash", c.In, "-o", c.Out);

            c.AssertOutcome(run, 75);
            Assert.Equal($"error: output folder is in use by another pipeline run: {c.Out}", Assert.Single(run.ErrorLines));
        }
    }
}
