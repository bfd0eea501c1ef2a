using System.Text.Json;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Verifying;

/// <summary>The real <c>pipeline verify</c>, in process: every word and exit code, both runners, the report.</summary>
public sealed class VerifyCliTests
{
    [Theory]
    [InlineData("sums")]
    [InlineData("csv")]
    public async Task Verify_UnchangedTree_ExitsZeroAllOk(string format)
    {
        using var temp = Tree();
        var manifest = await HashAsync(temp, format);

        var (exit, stdout, stderr) = await CliRun.InvokeAsync("verify", manifest, "--root", temp.Sub("in"), "--json");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(4, json.RootElement.GetProperty("ok").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("new").GetInt32());
    }

    [Fact]
    public async Task Verify_AfterMoveAddDeleteChange_ReportsEachWithItsWordAndExitsOne()
    {
        using var temp = Tree();
        var manifest = await HashAsync(temp);
        File.Move(temp.Sub("in/a.txt"), temp.Sub("in/sub/a-moved.txt"));
        temp.Write("in/added.txt", "brand new");
        File.Delete(temp.Sub("in/b.txt"));
        temp.Write("in/sub/c.txt", "changed");

        var (exit, stdout, _) = await CliRun.InvokeAsync("verify", manifest, "--root", temp.Sub("in"), "--quiet");

        Assert.Equal(1, exit);
        Assert.Equal(["FAILED  sub/c.txt", "NEW  added.txt", "MISSING  b.txt", "MOVED  sub/a-moved.txt  (from a.txt)"], stdout.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Verify_OnlyNewAndMoved_ExitsZeroUnlessStrict()
    {
        using var temp = Tree();
        var manifest = await HashAsync(temp);
        File.Move(temp.Sub("in/a.txt"), temp.Sub("in/a2.txt"));
        temp.Write("in/extra.txt", "extra");

        var plain = await CliRun.InvokeAsync("verify", manifest, "--root", temp.Sub("in"), "-q");
        var strict = await CliRun.InvokeAsync("verify", manifest, "--root", temp.Sub("in"), "-q", "--strict");

        Assert.Equal(0, plain.ExitCode);
        Assert.Equal("MOVED  a2.txt  (from a.txt)\nNEW  extra.txt\n", plain.Out);
        Assert.Equal(1, strict.ExitCode);
    }

    [Fact]
    public async Task Verify_MissingOnly_ExitsOneUnlessIgnoreMissing()
    {
        using var temp = Tree();
        var manifest = await HashAsync(temp);
        File.Delete(temp.Sub("in/b.txt"));

        var plain = await CliRun.InvokeAsync("verify", manifest, "--root", temp.Sub("in"), "-q");
        var ignoring = await CliRun.InvokeAsync("verify", manifest, "--root", temp.Sub("in"), "-q", "--ignore-missing");

        Assert.Equal((1, "MISSING  b.txt\n"), (plain.ExitCode, plain.Out));
        Assert.Equal((0, "MISSING  b.txt\n"), (ignoring.ExitCode, ignoring.Out));
    }

    [LinuxFact]
    public async Task Verify_UnreadableListedFile_ReportsReasonAndExitsOne()
    {
        using var temp = Tree();
        var manifest = await HashAsync(temp);
        File.Delete(temp.Sub("in/b.txt"));
        Pipeline.Tests.Running.FailureTests.MakeFifo(temp.Sub("in/b.txt"));

        var (exit, stdout, _) = await CliRun.InvokeAsync("verify", manifest, "--root", temp.Sub("in"), "-q");

        Assert.Equal(1, exit);
        Assert.Equal("UNREADABLE  b.txt: not a regular file (named pipe)\n", stdout);
    }

    [Fact]
    public async Task Verify_ManifestInTheRoot_IsNotReportedAsNewAndRootDefaultsToItsFolder()
    {
        using var temp = Tree();
        File.Copy(await HashAsync(temp), temp.Sub("in/SHA256SUMS"));

        var (exit, stdout, stderr) = await CliRun.InvokeAsync("verify", temp.Sub("in/SHA256SUMS"), "--json");

        Assert.Equal((0, string.Empty), (exit, stderr));
        Assert.Equal(0, JsonDocument.Parse(stdout).RootElement.GetProperty("new").GetInt32());
    }

    [Fact]
    public async Task Verify_MalformedLines_CountedAndWarnedAsSha256sumDoes()
    {
        using var temp = Tree();
        var manifest = await HashAsync(temp);
        await File.AppendAllTextAsync(manifest, "not a checksum line\n\n");

        var plain = await CliRun.InvokeAsync("verify", manifest, "--root", temp.Sub("in"), "--json");
        var strict = await CliRun.InvokeAsync("verify", manifest, "--root", temp.Sub("in"), "--json", "--strict");

        Assert.Equal(0, plain.ExitCode);
        Assert.Equal(2, JsonDocument.Parse(plain.Out).RootElement.GetProperty("malformed_lines").GetInt32());
        Assert.Contains("warning: 2 lines are improperly formatted", plain.Error, StringComparison.Ordinal);
        Assert.Equal(1, strict.ExitCode);
    }

    [Theory]
    [InlineData("junk only\n")]
    [InlineData("")]
    public async Task Verify_ManifestWithNoValidLine_ExitsTwoWithOneLine(string content)
    {
        using var temp = Tree();
        var manifest = temp.Write("SHA256SUMS", content);

        var (exit, _, stderr) = await CliRun.InvokeAsync("verify", manifest, "--root", temp.Sub("in"));

        Assert.Equal(2, exit);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("no properly formatted", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--root", "nowhere", "input folder not found")]
    [InlineData("-p", "abc", "-p")]
    [InlineData("--report", "nofolder/r.csv", "--report")]
    public async Task Verify_BadArgument_ExitsTwoNamingIt(string option, string value, string expected)
    {
        using var temp = Tree();
        var manifest = await HashAsync(temp);
        var arg = value.Contains('/', StringComparison.Ordinal) || value == "nowhere" ? temp.Sub(value) : value;

        string[] root = option == "--root" ? [] : ["--root", temp.Sub("in")];

        var (exit, _, stderr) = await CliRun.InvokeAsync(["verify", manifest, .. root, option, arg]);

        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Verify_MissingManifest_ExitsTwo()
    {
        using var temp = Tree();

        var (exit, _, stderr) = await CliRun.InvokeAsync("verify", temp.Sub("NOPE"));

        Assert.Equal(2, exit);
        Assert.Contains("not found", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_SequentialAndPipeline_WriteTheSameReport()
    {
        using var temp = Tree();
        var manifest = await HashAsync(temp);
        File.Move(temp.Sub("in/a.txt"), temp.Sub("in/sub/z.txt"));
        temp.Write("in/sub/c.txt", "changed");
        temp.Write("in/new,\"quoted\".txt", "new");

        var pipeline = await CliRun.InvokeAsync("verify", manifest, "--root", temp.Sub("in"), "-q", "--report", temp.Sub("p.csv"));
        var sequential = await CliRun.InvokeAsync("verify", manifest, "--root", temp.Sub("in"), "-q", "--report", temp.Sub("s.csv"), "--sequential");

        Assert.Equal(1, pipeline.ExitCode);
        Assert.Equal(pipeline, sequential with { });
        var report = await File.ReadAllTextAsync(temp.Sub("p.csv"));
        Assert.Equal(report, await File.ReadAllTextAsync(temp.Sub("s.csv")));
        Assert.StartsWith("path,status,expected,actual,bytes,moved_from,error\n", report, StringComparison.Ordinal);
        Assert.Contains("\"new,\"\"quoted\"\".txt\",new,,", report, StringComparison.Ordinal);
        Assert.Contains(",moved,", report, StringComparison.Ordinal);
        Assert.Equal(6, report.TrimEnd('\n').Split('\n').Length); // header; b OK, c FAILED, é OK, the new file, z MOVED from a
    }

    [Fact]
    public async Task Verify_CheckThatFailsWithAReport_LeavesTheEarlierReportAndNoTemporaryFile()
    {
        using var temp = Tree();
        var manifest = temp.Write("SHA256SUMS", "junk only\n");
        var earlier = temp.Write("out/r.csv", "path,status,expected,actual,bytes,moved_from,error\nkept,ok,,,0,,\n");

        var (exit, _, _) = await CliRun.InvokeAsync("verify", manifest, "--root", temp.Sub("in"), "--report", earlier);

        Assert.Equal(2, exit);
        Assert.Equal("path,status,expected,actual,bytes,moved_from,error\nkept,ok,,,0,,\n", await File.ReadAllTextAsync(earlier));
        Assert.Equal(["r.csv"], Directory.EnumerateFiles(temp.Sub("out")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Verify_Selection_ChecksOnlyListedFilesItTakes()
    {
        using var temp = Tree();
        var manifest = await HashAsync(temp);
        File.Delete(temp.Sub("in/b.txt"));

        var (exit, stdout, _) = await CliRun.InvokeAsync("verify", manifest, "--root", temp.Sub("in"), "--include", "sub/**", "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(2, json.RootElement.GetProperty("ok").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("missing").GetInt32());
    }

    [Fact]
    public async Task CompareVerify_BothRunnersReachTheSameVerdicts_ExitsZero()
    {
        using var temp = Tree();
        var manifest = await HashAsync(temp);
        temp.Write("in/sub/c.txt", "changed");

        var (exit, stdout, stderr) = await CliRun.InvokeAsync("compare", "verify", temp.Sub("in"), "--manifest", manifest, "--rounds", "1", "--json");

        Assert.Equal((0, string.Empty), (exit, stderr));
        Assert.True(JsonDocument.Parse(stdout).RootElement.GetProperty("identical").GetBoolean());
    }

    [Fact]
    public async Task RunVerify_WritesVerdicts()
    {
        using var temp = Tree();
        var manifest = await HashAsync(temp);
        temp.Write("in/sub/c.txt", "changed");

        var (exit, _, _) = await CliRun.InvokeAsync("run", "verify", temp.Sub("in"), "-o", temp.Sub("v"), "--manifest", manifest);

        Assert.Equal(0, exit);
        Assert.Equal("OK  a.txt\nOK  b.txt\nOK  sub/\u00e9.txt\nFAILED  sub/c.txt\n".Split('\n').Order(StringComparer.Ordinal), (await File.ReadAllTextAsync(temp.Sub("v/verify.txt"))).Split('\n').Order(StringComparer.Ordinal));
    }

    private static TempDir Tree()
    {
        var temp = new TempDir();
        temp.Write("in/a.txt", "alpha");
        temp.Write("in/b.txt", "bravo");
        temp.Write("in/sub/c.txt", "charlie");
        temp.Write("in/sub/\u00e9.txt", "echo");
        return temp;
    }

    private static async Task<string> HashAsync(TempDir temp, string format = "sums")
    {
        var (exit, _, stderr) = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("sums"), "--format", format, "-q");
        Assert.True(exit == 0, stderr);
        return temp.Sub(format == "csv" ? "sums/hashes.csv" : "sums/SHA256SUMS");
    }

    [LinuxFact]
    public async Task Verify_ManifestMadeFollowingLinksCheckedWithout_MissingLinkSaysItIsThereThroughALink()
    {
        using var temp = new TempDir();
        temp.Write("data/a.txt", "alpha");
        temp.Write("elsewhere/b.txt", "beta");
        File.CreateSymbolicLink(temp.Sub("data/b.txt"), temp.Sub("elsewhere/b.txt"));
        var (made, _, _) = await CliRun.InvokeAsync("run", "hash", temp.Sub("data"), "-o", temp.Sub("sums"), "--follow-symlinks", "-q");
        Assert.Equal(0, made);

        var (exit, stdout, _) = await CliRun.InvokeAsync("verify", temp.Sub("sums/SHA256SUMS"), "--root", temp.Sub("data"), "-q");
        var (followed, _, _) = await CliRun.InvokeAsync("verify", temp.Sub("sums/SHA256SUMS"), "--root", temp.Sub("data"), "-q", "--follow-symlinks");

        var (_, table, _) = await CliRun.InvokeAsync("verify", temp.Sub("sums/SHA256SUMS"), "--root", temp.Sub("data"));
        var (_, json, _) = await CliRun.InvokeAsync("verify", temp.Sub("sums/SHA256SUMS"), "--root", temp.Sub("data"), "--json");

        Assert.Equal((1, 0), (exit, followed));
        Assert.Contains("MISSING  b.txt  (there through a symbolic link, not followed; --follow-symlinks follows it)\n", stdout, StringComparison.Ordinal);
        Assert.Contains("1 symbolic link not followed; --follow-symlinks follows them", table, StringComparison.Ordinal);
        Assert.Contains("\"symlinks_not_followed\":1,", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_IncludeThatMatchesNothing_WarnsNamingItEvenWhenQuiet()
    {
        using var temp = new TempDir();
        temp.Write("data/a.txt", "alpha");
        var (made, _, _) = await CliRun.InvokeAsync("run", "hash", temp.Sub("data"), "-o", temp.Sub("sums"), "-q");
        Assert.Equal(0, made);

        var (exit, _, stderr) = await CliRun.InvokeAsync("verify", temp.Sub("sums/SHA256SUMS"), "--root", temp.Sub("data"), "-i", "*.TXT", "-q");

        Assert.Equal(0, exit);
        Assert.Equal($"warning: no file under {temp.Sub("data")} matches --include '*.TXT' (globs are case-sensitive); nothing was checked\n", stderr);
    }
}
