using Pipeline.Tests.Support;

namespace Pipeline.Tests.Hostile;

/// <summary>
/// C. Link loops and broken links with --follow-symlinks. The rule: the run ends; every real file is processed exactly
/// once (by what it is, not by the path it was reached through); a loop is a failed entry whose reason says "loop";
/// a dangling link is a failed entry ("broken symbolic link"); exit 1.
/// </summary>
public sealed class LinkLoopTests
{
    public static TheoryData<string> Loops =>
    [
        "two folders linking to each other",
        "a link to .",
        "a link to the input root",
    ];

    [LinuxTheory]
    [MemberData(nameof(Loops))]
    public async Task Run_FollowSymlinksOverALoop_EndsProcessesEachRealFileOnceAndReportsTheLoop(string loop)
    {
        using var c = new HostileCase();
        switch (loop)
        {
            case "two folders linking to each other":
                c.Write("in/x/f1.txt", "one");
                c.Write("in/y/f2.txt", "two");
                c.Symlink("in/x/a", "../y");
                c.Symlink("in/y/c", "../x");
                break;
            case "a link to .":
                c.Write("in/a.txt", "alpha");
                c.Write("in/sub/b.txt", "beta");
                c.Symlink("in/self", ".");
                break;
            case "a link to the input root":
                c.Write("in/a.txt", "alpha");
                c.Write("in/sub/b.txt", "beta");
                c.Symlink("in/sub/root", c.In);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(loop), loop, null);
        }

        var run = await c.RunAsync("run", "hash", c.In, "-o", c.Out, "--follow-symlinks", "--json");

        c.AssertOutcome(run, 1);
        Assert.True(run.Failed.Any(f => f.Error.Contains("loop", StringComparison.OrdinalIgnoreCase)), "no failed entry says \"loop\"\n" + run);
        var manifest = Path.Join(c.Out, "SHA256SUMS");
        Assert.True(File.Exists(manifest), "no manifest\n" + run);
        var listed = File.ReadAllLines(manifest).Select(l => l[66..]).ToList();
        var real = RealPaths(c, listed.Select(p => Path.Join(c.In, p)));
        var expected = RealPaths(c, HostileCase.FilesUnder(c.In).Select(p => Path.Join(c.In, p)));
        Assert.True(expected.Order(StringComparer.Ordinal).SequenceEqual(real.Order(StringComparer.Ordinal)),
            $"each real file must be listed exactly once; the manifest lists {string.Join(", ", listed)}\n{run}");
    }

    [LinuxFact]
    public async Task Run_FollowSymlinksOverADanglingLink_FailsItAsBrokenAndGoesOn()
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha");
        c.Symlink("in/dead", "nowhere/at/all");

        var run = await c.RunAsync("run", "hash", c.In, "-o", c.Out, "--follow-symlinks", "--json");

        c.AssertOutcome(run, 1, "broken symbolic link");
        run.AssertFailed("dead", "broken symbolic link");
        Assert.Equal(1, run.Count("files_ok"));
    }

    [LinuxFact]
    public async Task Run_DanglingLinkWithoutFollowSymlinks_IsSkippedLikeEveryLink()
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha");
        c.Symlink("in/dead", "nowhere/at/all");

        var run = await c.RunAsync("run", "gzip", c.In, "-o", c.Out, "--json");

        c.AssertOutcome(run, 0);
        Assert.True(File.Exists(Path.Join(c.Out, "a.txt.gz")));
    }

    /// <summary>Each path with every link resolved (<c>realpath -e</c>), in the given order; fails on a path that does not resolve.</summary>
    private static List<string> RealPaths(HostileCase c, IEnumerable<string> paths)
    {
        var list = paths.ToList();
        return list.Count == 0 ? [] : [.. c.Sh("realpath -z -e -- \"$@\"", [.. list]).Split('\0', StringSplitOptions.RemoveEmptyEntries)];
    }
}
