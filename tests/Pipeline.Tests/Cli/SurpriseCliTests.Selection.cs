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
}
