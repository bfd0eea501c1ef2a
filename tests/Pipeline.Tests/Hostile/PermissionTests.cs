namespace Pipeline.Tests.Hostile;

/// <summary>
/// I. Permissions, seen by an unprivileged user (root reads through them): the child runs as uid/gid 65534 via setpriv.
/// The rule: a file or folder that cannot be read is a failed entry ("permission denied"), the run goes on, exit 1;
/// an output folder that cannot be written is a clear error, never a crash; inputs are never changed.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PermissionTests
{
    private const string Need = "to switch to an unprivileged user";
    private static readonly ChildSettings AsNobody = new(Unprivileged: true);

    [RootFact(Need)]
    public async Task Run_UnreadableFile_FailsItAsPermissionDeniedOthersSucceed()
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha");
        File.SetUnixFileMode(c.Write("in/secret.txt", "secret"), UnixFileMode.None);

        var run = await c.RunAsync(AsNobody, "run", "gzip", c.In, "-o", c.Out, "--json");

        c.AssertOutcome(run, 1, "permission denied");
        run.AssertFailed("secret.txt", "permission denied");
        Assert.True(File.Exists(Path.Join(c.Out, "a.txt.gz")));
    }

    [RootFact(Need)]
    public async Task Run_UnreadableSubfolder_FailsItAsPermissionDeniedAndGoesOn()
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha");
        c.Write("in/locked/b.txt", "beta");
        c.Write("in/z/c.txt", "gamma");
        File.SetUnixFileMode(c.Sub("in/locked"), UnixFileMode.None);

        var run = await c.RunAsync(AsNobody, "run", "gzip", c.In, "-o", c.Out, "--json");

        c.AssertOutcome(run, 1, "permission denied");
        Assert.True(run.Failed.Any(f => f.Path.StartsWith("locked", StringComparison.Ordinal) && f.Error.Contains("permission denied", StringComparison.OrdinalIgnoreCase)), run.ToString());
        Assert.True(File.Exists(Path.Join(c.Out, "a.txt.gz")) && File.Exists(Path.Join(c.Out, "z/c.txt.gz")), run.ToString());
    }

    [RootFact(Need)]
    public async Task Run_SubfolderListableButNotSearchable_FailsItsFilesAsPermissionDenied()
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha");
        c.Write("in/half/b.txt", "beta");
        File.SetUnixFileMode(c.Sub("in/half"), UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var run = await c.RunAsync(AsNobody, "run", "gzip", c.In, "-o", c.Out, "--json");

        c.AssertOutcome(run, 1, "permission denied");
        Assert.True(run.Failed.Any(f => f.Path.StartsWith("half", StringComparison.Ordinal) && f.Error.Contains("permission denied", StringComparison.OrdinalIgnoreCase)), run.ToString());
        Assert.True(File.Exists(Path.Join(c.Out, "a.txt.gz")));
    }

    [RootFact(Need)]
    public async Task Run_OutputFolderNotWritable_ClearLineNoCrashInputsUnchanged()
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha");
        c.Mkdir("out");
        File.SetUnixFileMode(c.Out, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        var run = await c.RunAsync(AsNobody, "run", "gzip", c.In, "-o", c.Out);

        HostileCase.AssertExit(run, 1, 2);
        HostileCase.AssertStderrContains(run, "permission denied");
        c.AssertUnharmed(run);
        Assert.Empty(Directory.EnumerateFileSystemEntries(c.Out));
    }
}
