using Pipeline.Tests.Support;

namespace Pipeline.Tests.Cli;

/// <summary>Links left out and globs that take nothing: said, counted, listed.</summary>
public sealed partial class SurpriseCliTests
{
    // ---------------------------------------------------------------- links not followed

    [LinuxFact]
    public async Task Run_LinksNotFollowed_AreCountedInTheSummaryAndTheJsonOfBothRunners()
    {
        using var temp = LinkedTree();

        var table = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("table"));
        var pipeline = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("json"), "--json");
        var sequential = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("seq"), "--json", "--sequential");
        var followed = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("followed"), "--json", "--follow-symlinks");

        Assert.True(table.ExitCode == 0, table.Error);
        Assert.Contains("3 symbolic links not followed; --follow-symlinks follows them\n", table.Out, StringComparison.Ordinal);
        Assert.Equal(3, JsonInt(pipeline.Out, "symlinks_not_followed"));
        Assert.Equal(3, JsonInt(sequential.Out, "symlinks_not_followed"));
        Assert.Equal(2, JsonInt(sequential.Out, "files_ok"));
        Assert.Equal(0, JsonInt(followed.Out, "symlinks_not_followed"));
    }

    [LinuxFact]
    public async Task DryRun_LinksNotFollowed_AreListedInOrderAndCounted()
    {
        using var temp = LinkedTree();

        var (exit, stdout, stderr) = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "--dry-run");

        Assert.True(exit == 0, stderr);
        Assert.Equal(
            [
                "process  a.txt",
                "link     broken.txt  (symbolic link, not followed)",
                "link     dir-link/  (symbolic link, not followed)",
                "link     file-link.txt  (symbolic link, not followed)",
                "process  sub/b.txt",
                "write    SHA256SUMS",
                "3 symbolic links not followed; --follow-symlinks follows them",
                $"dry run: 2 to process, 0 to skip, 3 symbolic links not followed, into {temp.Sub("out")}; nothing was touched",
            ],
            stdout.TrimEnd('\n').Split('\n'));
        Assert.False(Directory.Exists(temp.Sub("out")));
    }

    // ---------------------------------------------------------------- a glob that takes nothing

    [Fact]
    public async Task Run_IncludeThatMatchesNoFile_WarnsNamingItAndCreatesNoOutputFolder()
    {
        using var temp = new TempDir();
        temp.Write("in/prices.csv", "a\n1\n");
        temp.Write("in/sub/more.csv", "a\n2\n");

        var (exit, stdout, stderr) = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "-i", "**/*.CSV", "--json");

        Assert.Equal(0, exit);
        Assert.Equal(
            $"warning: no file under {temp.Sub("in")} matches --include '**/*.CSV' (globs are case-sensitive); nothing was written and {temp.Sub("out")} was not created\n",
            stderr);
        Assert.Equal(0, JsonInt(stdout, "files_ok"));
        Assert.False(Path.Exists(temp.Sub("out")));
    }

    [Fact]
    public async Task Run_IncludeThatMatchesNoFileQuietIntoAnExistingFolder_StillWarns()
    {
        using var temp = new TempDir();
        temp.Write("in/prices.csv", "a\n1\n");
        Directory.CreateDirectory(temp.Sub("out"));

        var (exit, stdout, stderr) = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "-i", "*.CSV", "-i", "*.TSV", "-q");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal($"warning: no file under {temp.Sub("in")} matches --include '*.CSV' or '*.TSV' (globs are case-sensitive)\n", stderr);
    }

    [Fact]
    public async Task Run_IncludeThatMatches_DoesNotWarn()
    {
        using var temp = new TempDir();
        temp.Write("in/prices.csv", "a\n1\n");

        var (exit, _, stderr) = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "-i", "*.csv", "-q");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr);
        Assert.True(File.Exists(temp.Sub("out/SHA256SUMS")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_OneIncludeOfTwoTakesNothing_WarnsNamingThatOneAndProcessesTheOther(bool dryRun)
    {
        using var temp = new TempDir();
        temp.Write("in/prices.csv", "a\n1\n");
        temp.Write("in/notes.txt", "n\n");

        string[] args = ["run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "-i", "*.csv", "-i", "*.TXT", "-q"];
        var (exit, _, stderr) = await CliRun.InvokeAsync(dryRun ? [.. args, "--dry-run"] : args);

        Assert.Equal(0, exit);
        Assert.Equal($"warning: --include '*.TXT' takes no file under {temp.Sub("in")} (globs are case-sensitive)\n", stderr);
        Assert.Equal(!dryRun, File.Exists(temp.Sub("out/SHA256SUMS")));
    }

    [Fact]
    public async Task Run_ExcludeThatMatchesNoFile_WarnsNamingItAndTheOtherExcludeDoesNot()
    {
        using var temp = new TempDir();
        temp.Write("in/prices.csv", "a\n1\n");
        temp.Write("in/build/out.o", "o");

        var (exit, _, stderr) = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "-x", "*.CSV", "-x", "build/**", "--json");

        Assert.Equal(0, exit);
        Assert.Equal($"warning: --exclude '*.CSV' matches no file under {temp.Sub("in")}, so it left nothing out (globs are case-sensitive)\n", stderr);
        Assert.Equal(["prices.csv"], File.ReadAllLines(temp.Sub("out/SHA256SUMS")).Select(l => l[66..]));
    }

    [Fact]
    public async Task List_IncludeOfTwoTakesNothing_WarnsOnStderrAndListsTheRest()
    {
        using var temp = new TempDir();
        temp.Write("in/a.csv", "1");

        var (exit, stdout, stderr) = await CliRun.InvokeAsync("list", temp.Sub("in"), "-i", "*.csv", "-i", "nomatch/**");

        Assert.Equal(0, exit);
        Assert.Equal("a.csv\n", stdout);
        Assert.Equal($"warning: --include 'nomatch/**' takes no file under {temp.Sub("in")} (globs are case-sensitive)\n", stderr);
    }

    [Fact]
    public async Task DryRun_IncludeThatMatchesNoFile_ListsNothingToWriteAsTheRunWritesNothing()
    {
        using var temp = new TempDir();
        temp.Write("in/prices.csv", "a\n1\n");

        var (exit, stdout, stderr) = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "-i", "*.CSV", "--dry-run");

        Assert.Equal(0, exit);
        Assert.DoesNotContain("SHA256SUMS", stdout, StringComparison.Ordinal);
        Assert.Contains("matches --include '*.CSV'", stderr, StringComparison.Ordinal);
        Assert.False(Path.Exists(temp.Sub("out")));
    }

    [Fact]
    public async Task Run_ShardWhoseShareHasNoFileOfOneInclude_DoesNotWarnAboutIt()
    {
        using var temp = new TempDir();
        for (var i = 0; i < 20; i++)
        {
            temp.Write($"in/f{i:D2}.csv", "a\n1\n");
        }

        temp.Write("in/only.txt", "t");

        // only.txt falls in one of the two shards: in the other, '*.txt' takes nothing, and that is no typo.
        var stderrs = new List<string>();
        foreach (var shard in (string[])["0/2", "1/2"])
        {
            var (exit, _, stderr) = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "-i", "*.csv", "-i", "*.txt", "--shard", shard, "-q");
            Assert.Equal(0, exit);
            stderrs.Add(stderr);
        }

        Assert.Equal([string.Empty, string.Empty], stderrs);
    }
}
