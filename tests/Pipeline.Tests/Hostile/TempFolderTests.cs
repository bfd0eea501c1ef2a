using Pipeline.Tests.Support;

namespace Pipeline.Tests.Hostile;

/// <summary>
/// The tool never creates <c>TMPDIR</c> (issue #26): a scratch folder made with its parents would make a missing
/// <c>TMPDIR</c> and every folder above it, as root anywhere. Where there is an output's <c>.pipeline</c> the scratch goes
/// there; otherwise the command exits 2 saying that <c>TMPDIR</c> does not exist.
/// </summary>
public sealed class TempFolderTests
{
    [LinuxFact]
    public async Task Verify_TmpdirMissing_ExitsTwoAndCreatesNothing()
    {
        using var c = new HostileCase();
        c.Write("in/f1.txt", "one");
        HostileCase.AssertExit(await c.RunAsync("run", "hash", c.In, "-o", c.Out, "-q"), 0);
        var missing = c.Sub("missing/tmp");

        var run = await c.RunAsync(WithTmpdir(missing), "verify", Path.Join(c.Out, "SHA256SUMS"), "--root", c.In);

        c.AssertOutcome(run, 2);
        Assert.Equal($"error: {missing}: the folder for temporary files (TMPDIR) does not exist; create it or point TMPDIR at one that does", Assert.Single(run.ErrorLines));
        Assert.False(Directory.Exists(c.Sub("missing")), "TMPDIR was created");
    }

    [LinuxFact]
    public async Task DryRunResume_TmpdirMissing_ListsWithTheScratchInPipelineAndCreatesNoTmpdir()
    {
        using var c = new HostileCase();
        c.Write("in/f1.txt", "one");
        c.Write("in/f2.txt", "two");
        HostileCase.AssertExit(await c.RunAsync("run", "hash", c.In, "-o", c.Out, "-q"), 0);

        // An entry appended out of order: the journal is not compact, so a dry run compacts a copy in a scratch folder.
        var journal = Path.Join(c.Out, ".pipeline", "journal");
        await File.AppendAllLinesAsync(journal, [(await File.ReadAllLinesAsync(journal))[0]]);
        var state = Directory.GetFileSystemEntries(Path.Join(c.Out, ".pipeline")).Order(StringComparer.Ordinal).ToList();
        var missing = c.Sub("missing/tmp");

        var run = await c.RunAsync(WithTmpdir(missing), "run", "hash", c.In, "-o", c.Out, "--resume", "--dry-run");

        c.AssertOutcome(run, 0);
        Assert.Contains($"dry run: 0 to process, 2 to skip, into {c.Out}; nothing was touched", run.Stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(c.Sub("missing")), "TMPDIR was created");
        Assert.Equal(state, Directory.GetFileSystemEntries(Path.Join(c.Out, ".pipeline")).Order(StringComparer.Ordinal).ToList());
    }

    private static ChildSettings WithTmpdir(string folder) => new(Environment: new Dictionary<string, string> { ["TMPDIR"] = folder });
}
