using System.Text.Json;
using Pipeline.Tests.Running;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Cli;

public sealed class UnattendedCliTests
{
    [Fact]
    public async Task DryRun_WithResumeOnAnEarlierOutput_ListsWhatWouldHappenAndTouchesNothing()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        temp.Write("in/b.txt", "b");
        await CliRun.InvokeAsync("run", "gzip", temp.Sub("in"), "-o", temp.Sub("out"));
        temp.Write("in/c.txt", "new");
        var before = Corpus.Snapshot(temp.Sub("out"));
        var journal = await File.ReadAllBytesAsync(temp.Sub("out/.pipeline/journal"));
        var journalTime = File.GetLastWriteTimeUtc(temp.Sub("out/.pipeline/journal"));

        var (exit, stdout, stderr) = await CliRun.InvokeAsync("run", "gzip", temp.Sub("in"), "-o", temp.Sub("out"), "--resume", "--dry-run");
        var fresh = await CliRun.InvokeAsync("run", "gzip", temp.Sub("in"), "-o", temp.Sub("never"), "--dry-run");

        Assert.Equal((0, ""), (exit, stderr));
        Assert.Equal(
            "skip     a.txt  (done by an earlier run: same size, time and options)\n"
            + "skip     b.txt  (done by an earlier run: same size, time and options)\n"
            + "process  c.txt -> c.txt.gz\n"
            + $"dry run: 1 to process, 2 to skip, into {temp.Sub("out")}; nothing was touched\n",
            stdout);
        Assert.Equal(before, Corpus.Snapshot(temp.Sub("out")));
        Assert.Equal(journal, await File.ReadAllBytesAsync(temp.Sub("out/.pipeline/journal")));
        Assert.Equal(journalTime, File.GetLastWriteTimeUtc(temp.Sub("out/.pipeline/journal")));
        Assert.Equal(0, fresh.ExitCode);
        Assert.False(Directory.Exists(temp.Sub("never")));
    }

    [LinuxFact]
    public async Task LogAndJson_RunWithAFailure_RecordStartFailureAndEnd()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        FailureTests.MakeFifo(temp.Sub("in/p.fifo"));
        var log = temp.Sub("logs/run.log");
        await File.WriteAllTextAsync(temp.Sub("earlier.txt"), string.Empty);
        Directory.CreateDirectory(temp.Sub("logs"));
        await File.WriteAllTextAsync(log, "2026-01-01T00:00:00.000Z [1] an earlier line\n");

        var (exit, stdout, stderr) = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "--log", log, "--json", "--quiet");

        Assert.Equal(1, exit);
        Assert.Equal("error: p.fifo: not a regular file (named pipe)\n", stderr);
        var lines = await File.ReadAllLinesAsync(log);
        Assert.Equal("2026-01-01T00:00:00.000Z [1] an earlier line", lines[0]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \[\d+\] start pipeline run hash .+ --json --quiet$", lines[1]);
        Assert.EndsWith("failed p.fifo: not a regular file (named pipe)", lines[2], StringComparison.Ordinal);
        Assert.Matches(@" end ok=1 failed=1 skipped=0 cancelled=0 bytes_in=1 seconds=\d+\.\d{3} exit=1$", lines[3]);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(1, json.RootElement.GetProperty("files_ok").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("files_failed").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("files_skipped").GetInt32());
        Assert.False(json.RootElement.GetProperty("stopped_by_error_limit").GetBoolean());
    }

    [LinuxFact]
    public async Task MaxErrors_OnTheCommandLine_StopsAndSaysHowToGoOn()
    {
        using var temp = new TempDir();
        for (var i = 0; i < 3; i++)
        {
            FailureTests.MakeFifo(temp.Sub($"in/a{i}.fifo"));
        }

        temp.Write("in/b.txt", "b");

        var (exit, _, stderr) = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "--max-errors", "1", "-p", "1", "--io-concurrency", "1");

        Assert.Equal(1, exit);
        Assert.Contains("(--max-errors 1); no aggregate output was written; run again with --resume to go on", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quiet_SuccessfulRun_PrintsNothing()
    {
        using var temp = new TempDir();

        var result = await CliRun.InvokeAsync("run", "hash", Corpus.TestDataRoot, "-o", temp.Sub("out"), "--quiet");

        Assert.Equal((0, "", ""), result);
    }
}
