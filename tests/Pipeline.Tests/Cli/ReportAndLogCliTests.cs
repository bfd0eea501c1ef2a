using System.CommandLine;
using Pipeline.Cli;
using Pipeline.Cli.Commands;
using Pipeline.Running;
using Pipeline.Tests.Running;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Cli;

/// <summary><c>--report</c> and <c>--log</c>: refused before anything is created when they cannot be right, and never read as input.</summary>
public sealed class ReportAndLogCliTests
{
    private const string Header = "path,status,bytes_in,bytes_out,milliseconds,error";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_ReportIsAnExistingFolder_ExitsTwoBeforeProcessingAnything(bool dryRun)
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        Directory.CreateDirectory(temp.Sub("reports"));

        var (exit, stdout, stderr) = await CliRun.InvokeAsync(Args(temp, dryRun, "--report", temp.Sub("reports")));

        Assert.Equal((2, $"error: --report: '{temp.Sub("reports")}' is a folder, not a file\n", string.Empty), (exit, stderr, stdout));
        Assert.False(Directory.Exists(temp.Sub("out")));
        Assert.Empty(Directory.GetFileSystemEntries(temp.Sub("reports")));
    }

    [Theory]
    [InlineData("--report", "missing/report.csv", false)]
    [InlineData("--report", "missing/report.csv", true)]
    [InlineData("--log", "missing/run.log", false)]
    [InlineData("--log", "missing/deeper/run.log", false)]
    public async Task Run_ReportOrLogInAFolderThatDoesNotExist_ExitsTwoAndCreatesNeitherFolder(string option, string relative, bool dryRun)
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        var path = temp.Sub(relative);

        var (exit, _, stderr) = await CliRun.InvokeAsync(Args(temp, dryRun, option, path));

        Assert.Equal((2, $"error: {option}: '{path}': folder not found: {Path.GetDirectoryName(path)}\n"), (exit, stderr));
        Assert.False(Directory.Exists(temp.Sub("missing")));
        Assert.False(Directory.Exists(temp.Sub("out")));
    }

    [Theory]
    [InlineData("name,amount\nalice,3\n")]
    [InlineData("")]
    [InlineData("path,status,bytes_in,bytes_out,milliseconds")]
    [InlineData("path,status,bytes_in,bytes_out,milliseconds,error,extra\n")]
    public async Task Run_ReportIsAFileThisToolDidNotWrite_ExitsTwoAndLeavesItAlone(string content)
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        var users = temp.Write("sales.csv", content);

        var (exit, _, stderr) = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "--report", users);

        Assert.Equal(2, exit);
        Assert.Equal($"error: --report: '{users}' exists and is not a report this tool wrote (its first line is not {Header}); remove it or choose another name\n", stderr);
        Assert.Equal(content, await File.ReadAllTextAsync(users));
        Assert.False(Directory.Exists(temp.Sub("out")));
    }

    [LinuxFact]
    public async Task Run_ReportIsANamedPipe_ExitsTwoWithoutOpeningIt()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        FailureTests.MakeFifo(temp.Sub("report.csv"));

        // Opening a named pipe for reading would block until a writer came; the check must not open it.
        var (exit, _, stderr) = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "--report", temp.Sub("report.csv"));

        Assert.Equal(2, exit);
        Assert.Equal($"error: --report: '{temp.Sub("report.csv")}' is a named pipe, not a regular file\n", stderr);
        Assert.False(Directory.Exists(temp.Sub("out")));
    }

    [Fact]
    public async Task Run_ReportIsAnEarlierReport_ReplacesIt()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        var report = temp.Write("report.csv", Header + "\nold.txt,succeeded,1,0,1,\n");

        var (exit, _, stderr) = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "--report", report, "--quiet");

        Assert.Equal((0, string.Empty), (exit, stderr));
        var lines = await File.ReadAllLinesAsync(report);
        Assert.Equal(Header, lines[0]);
        Assert.StartsWith("a.txt,succeeded,1,0,", Assert.Single(lines[1..]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--report", "{out}")]
    [InlineData("--log", "{in}")]
    public async Task Run_ReportOrLogIsTheOutputOrInputFolder_ExitsTwo(string option, string value)
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        var path = value.Replace("{out}", temp.Sub("out"), StringComparison.Ordinal).Replace("{in}", temp.Sub("in"), StringComparison.Ordinal);

        var (exit, _, stderr) = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), option, path);

        Assert.Equal(2, exit);
        Assert.StartsWith($"error: {option}: '{path}' is ", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Sub("out")));
    }

    [Fact]
    public async Task Run_ReportAndLogAreOneFile_ExitsTwo()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        var same = temp.Sub("run.csv");

        var (exit, _, stderr) = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "--report", same, "--log", same);

        Assert.Equal((2, $"error: --log: '{same}' is also the --report file\n"), (exit, stderr));
        Assert.False(File.Exists(same));
        Assert.False(Directory.Exists(temp.Sub("out")));
    }

    [Fact]
    public void CheckReportAndLog_FilesInsideTheInput_ReturnsTheirAbsolutePathsToExclude()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        var relativeReport = Path.GetRelativePath(Environment.CurrentDirectory, temp.Sub("in/report.csv"));

        var sut = OutputFilePaths.CheckReportAndLog(relativeReport, temp.Sub("in/logs/../run.log"), temp.Sub("out"));

        Assert.Equal([temp.Sub("in/report.csv"), temp.Sub("in/run.log")], sut);
    }

    [Fact]
    public void JobOptions_ExcludedFiles_AreInTheSelectionTheRunWalks()
    {
        using var temp = new TempDir();
        var command = new Command("probe");
        var job = new JobOptions(command, concurrency: true);
        var parse = command.Parse([temp.Path]);

        var sut = job.Options(parse, temp.Sub("out"), [temp.Sub("report.csv"), temp.Sub("run.log")]);

        Assert.Equal([temp.Sub("report.csv"), temp.Sub("run.log")], sut.Selection.ExcludedFiles);
        Assert.Equal(PipelineOptions.DefaultMemoryBudget, sut.MemoryBudget);
        Assert.Equal(Environment.ProcessorCount, sut.MaxDegreeOfParallelism);
    }

    [Fact]
    public async Task Run_LogInAnExistingFolder_IsCreatedAndAppended()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        var log = temp.Sub("run.log");

        var first = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "--log", log, "--quiet");
        var second = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "--log", log, "--quiet");

        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        Assert.Equal(4, (await File.ReadAllLinesAsync(log)).Length);
    }

    private static string[] Args(TempDir temp, bool dryRun, string option, string value) =>
        ["run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), option, value, .. dryRun ? (string[])["--dry-run"] : []];
}
