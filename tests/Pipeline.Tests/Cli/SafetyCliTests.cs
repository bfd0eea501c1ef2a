using Pipeline.Tests.Support;

namespace Pipeline.Tests.Cli;

/// <summary>The Safety rules as a user meets them on the command line.</summary>
public sealed class SafetyCliTests
{
    [Fact]
    public async Task Run_ReportAndLogInsideTheInput_AreNeverReadAsInputOnTheNextRun()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        string[] args = ["run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "--report", temp.Sub("in/report.csv"), "--log", temp.Sub("in/run.log"), "-q"];

        var first = await CliRun.InvokeAsync(args);
        var second = await CliRun.InvokeAsync(args);

        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        Assert.Equal(["a.txt"], File.ReadAllLines(temp.Sub("out/SHA256SUMS")).Select(l => l[66..]));
        Assert.Equal(2, File.ReadAllLines(temp.Sub("in/report.csv")).Length);
    }

    [Fact]
    public async Task Run_OutputIsALinkToTheInput_ExitsTwoAndTouchesNothing()
    {
        using var temp = new TempDir();
        temp.Write("in/sales.csv", "id,city\n1,Paris\n");
        Directory.CreateSymbolicLink(temp.Sub("link"), temp.Sub("in"));

        var (exit, _, stderr) = await CliRun.InvokeAsync("run", "csv", temp.Sub("in"), "-o", temp.Sub("link"), "--select", "id");

        Assert.Equal(2, exit);
        Assert.StartsWith("error: output folder must differ from the input folder", stderr, StringComparison.Ordinal);
        Assert.Equal("id,city\n1,Paris\n", File.ReadAllText(temp.Sub("in/sales.csv")));
        Assert.Equal(["sales.csv"], Directory.GetFileSystemEntries(temp.Sub("in")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task DryRun_FilesThatWouldFailBeforeBeingRead_AreListedAndExitOne()
    {
        using var temp = new TempDir();
        temp.Write("in/data.csv", "id\n1\n");
        temp.Write("in/data.tsv", "id\n2\n");

        var (exit, stdout, _) = await CliRun.InvokeAsync("run", "csv", temp.Sub("in"), "-o", temp.Sub("out"), "--to", "jsonl", "--dry-run", "--quiet");

        Assert.Equal(1, exit);
        Assert.Equal(
            "fail     data.tsv: its output data.jsonl is already the output of data.csv; nothing was written for it\n"
            + $"dry run: 1 to process, 0 to skip, 1 that would fail, into {temp.Sub("out")}; nothing was touched\n",
            stdout);
        Assert.False(Directory.Exists(temp.Sub("out")));
    }

    [Fact]
    public async Task Run_ReportIsWhereTheRunWritesItsManifest_ExitsTwoAndCreatesNothing()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");

        var (exit, _, stderr) = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "--report", temp.Sub("out/SHA256SUMS"));

        Assert.Equal(2, exit);
        Assert.Contains("--report", stderr, StringComparison.Ordinal);
        Assert.Contains("is where the run writes its SHA256SUMS", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Sub("out")));
    }
}
