using Pipeline.Tests.Support;

namespace Pipeline.Tests.Hostile;

/// <summary>
/// A. Output and input that are the same folder under another name. The rule (DESIGN, Safety): folders are compared as
/// what they are (links resolved; device + inode), never as text; output equal to or containing the input is refused
/// (exit 2) before anything is touched. Output inside the input is allowed, and the output is never read as input.
/// </summary>
public sealed class AliasedFolderTests
{
    public static TheoryData<string> RefusedAliases =>
    [
        "output is a link to the input",
        "input is a link to the output",
        "output is a link to an ancestor of the input",
        "output written with . and .. segments",
        "output through a link then .. lands on the input",
        "output through a chain of two links",
        "output is . in the input as the working folder",
        "output written with // and a trailing slash",
    ];

    [LinuxTheory]
    [MemberData(nameof(RefusedAliases))]
    public async Task Run_OutputIsTheInputUnderAnotherName_RefusedWithExit2AndNothingTouched(string alias)
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha");
        c.Write("in/sub/b.txt", "beta");
        string input = c.In, output;
        string? cwd = null;
        switch (alias)
        {
            case "output is a link to the input":
                output = c.Symlink("out", "in");
                break;
            case "input is a link to the output":
                c.Write("out/c.txt", "gamma");
                input = c.Symlink("inlink", "out");
                output = c.Out;
                break;
            case "output is a link to an ancestor of the input":
                c.Write("data/in/d.txt", "delta");
                input = c.Sub("data/in");
                output = c.Symlink("anc", c.Sub("data"));
                break;
            case "output written with . and .. segments":
                output = c.In + "/sub/.././sub/../.";
                break;
            case "output through a link then .. lands on the input":
                // The kernel resolves x/lnk/.. to the parent of in/sub, which is in; as text it is x.
                c.Mkdir("x");
                c.Symlink("x/lnk", c.Sub("in/sub"));
                output = c.Sub("x/lnk/..");
                break;
            case "output through a chain of two links":
                c.Symlink("l2", c.In);
                output = c.Symlink("l1", "l2");
                break;
            case "output is . in the input as the working folder":
                output = ".";
                cwd = c.In;
                break;
            case "output written with // and a trailing slash":
                output = c.Root + "//in//";
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(alias), alias, null);
        }

        c.Watch(c.Root);

        var run = await c.RunAsync(new ChildSettings(WorkingDirectory: cwd), "run", "gzip", input, "-o", output);

        c.AssertOutcome(run, 2, "output folder");
    }

    [MountFact("to bind-mount the input as the output")]
    public async Task Run_OutputIsABindMountOfTheInput_RefusedWithExit2AndNothingTouched()
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha");
        c.Mkdir("mnt");
        Assert.True(c.TryMount(c.Sub("mnt"), "--bind", c.In), "mount --bind failed");
        c.Watch(c.In);

        var run = await c.RunAsync("run", "gzip", c.In, "-o", c.Sub("mnt"));

        c.AssertOutcome(run, 2, "output folder");
    }

    [LinuxFact]
    public async Task Run_OutputInsideTheInputTwice_ExitsZeroAndNeverReadsTheOutput()
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha");
        c.Write("in/sub/b.txt", "beta");
        var output = c.Sub("in/out");
        c.Watch(c.In, output);

        for (var round = 0; round < 2; round++)
        {
            var run = await c.RunAsync("run", "gzip", c.In, "-o", output);

            c.AssertOutcome(run, 0);
            Assert.Equal(["a.txt.gz", "sub/b.txt.gz"], Outputs(c, output));
        }
    }

    [LinuxFact]
    public async Task Run_OutputInsideTheInputThroughALink_ExitsZeroAndNeverReadsTheOutput()
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha");
        c.Write("in/sub/b.txt", "beta");
        c.Symlink("lt", "in/sub");
        c.Watch(c.In, c.Sub("in/sub/out"));

        for (var round = 0; round < 2; round++)
        {
            var run = await c.RunAsync("run", "gzip", c.In, "-o", c.Sub("lt/out"));

            c.AssertOutcome(run, 0);
            Assert.Equal(["a.txt.gz", "sub/b.txt.gz"], Outputs(c, c.Sub("in/sub/out")));
        }
    }

    [LinuxTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_FollowSymlinksWithALinkToTheOutput_NeverReadsTheOutput(bool outputInsideInput)
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha");
        c.Write("in/sub/b.txt", "beta");
        var output = outputInsideInput ? c.Sub("in/out") : c.Out;
        Directory.CreateDirectory(output);
        c.Symlink("in/to-output", output);
        c.Watch(c.In, output);

        for (var round = 0; round < 2; round++)
        {
            var run = await c.RunAsync("run", "gzip", c.In, "-o", output, "--follow-symlinks");

            c.AssertOutcome(run, 0);
            Assert.Equal(["a.txt.gz", "sub/b.txt.gz"], Outputs(c, output));
        }
    }

    /// <summary>The files a run wrote (its own <c>.pipeline/</c> left out); fails if any is a <c>.gz.gz</c> anywhere under the case.</summary>
    private static IReadOnlyList<string> Outputs(HostileCase c, string output)
    {
        var doubled = HostileCase.FilesUnder(c.Root).Where(f => f.EndsWith(".gz.gz", StringComparison.Ordinal)).ToList();
        Assert.True(doubled.Count == 0, "the output was read as input: " + string.Join(", ", doubled));
        return [.. HostileCase.FilesUnder(output).Where(f => !f.StartsWith(".pipeline/", StringComparison.Ordinal))];
    }
}
