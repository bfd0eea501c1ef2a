using System.Text.Json;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Cli;

public sealed class ZstdCliTests
{
    [Fact]
    public async Task RunZstdThenUnzstd_TestData_RoundTripsEveryFileAndResumeSkipsThemAll()
    {
        using var temp = new TempDir();

        var zip = await CliRun.InvokeAsync("run", "zstd", Corpus.TestDataRoot, "-o", temp.Sub("zst"), "--level", "19", "--chunk-size", "4096");
        temp.Write("zst/notes.txt", "not compressed, so unzstd's default include leaves it alone");
        var unzip = await CliRun.InvokeAsync("run", "unzstd", temp.Sub("zst"), "-o", temp.Sub("back"), "--json");
        var again = await CliRun.InvokeAsync("run", "zstd", Corpus.TestDataRoot, "-o", temp.Sub("zst"), "--level", "19", "--chunk-size", "4096", "--resume", "--json");
        var otherLevel = await CliRun.InvokeAsync("run", "zstd", Corpus.TestDataRoot, "-o", temp.Sub("zst"), "--level", "1", "--resume", "--json");

        Assert.Equal((0, ""), (zip.ExitCode, zip.Error));
        Assert.Equal((0, ""), (unzip.ExitCode, unzip.Error));
        var count = Corpus.Snapshot(Corpus.TestDataRoot).Count;
        using (var json = JsonDocument.Parse(unzip.Out))
        {
            Assert.Equal(count, json.RootElement.GetProperty("files_ok").GetInt32());
        }

        Assert.Equal(Corpus.Snapshot(Corpus.TestDataRoot), Corpus.Snapshot(temp.Sub("back")));
        using (var json = JsonDocument.Parse(again.Out))
        {
            Assert.Equal((0, count, 0), (again.ExitCode, json.RootElement.GetProperty("files_skipped").GetInt32(), json.RootElement.GetProperty("files_ok").GetInt32()));
        }

        using (var json = JsonDocument.Parse(otherLevel.Out))
        {
            Assert.Equal((0, 0, count), (otherLevel.ExitCode, json.RootElement.GetProperty("files_skipped").GetInt32(), json.RootElement.GetProperty("files_ok").GetInt32()));
        }
    }

    [Fact]
    public async Task RunUnzstd_FrameWindowLargerThanTheMemoryBudgetAllows_ExitsOneSayingSoAndLeavesNoOutput()
    {
        using var temp = new TempDir();
        // Level 9 over more than its 4 MiB window, in one frame (one chunk), keeps that window: more than a quarter of an 8 MiB budget.
        temp.Write("in/big.txt", GzipReference.Text(9 << 20, seed: 3));
        await CliRun.InvokeAsync("run", "zstd", temp.Sub("in"), "-o", temp.Sub("zst"), "--level", "9", "--chunk-size", "16777216", "--memory-budget", "128");
        var frame = await File.ReadAllBytesAsync(temp.Sub("zst/big.txt.zst"));

        var (exit, _, stderr) = await CliRun.InvokeAsync("run", "unzstd", temp.Sub("zst"), "-o", temp.Sub("back"), "--memory-budget", "8", "--chunk-size", "65536");
        var fits = await CliRun.InvokeAsync("run", "unzstd", temp.Sub("zst"), "-o", temp.Sub("fits"), "--quiet");

        Assert.True(frame.Length > 0);
        Assert.Equal(1, exit);
        Assert.Equal("error: big.txt.zst: a frame needs a window larger than the 2 MiB the memory budget allows; give the run a larger memory budget\n", stderr);
        Assert.False(File.Exists(temp.Sub("back/big.txt")));
        Assert.Equal((0, ""), (fits.ExitCode, fits.Error));
    }

    [Fact]
    public async Task Transforms_NamesTheZstdEngine()
    {
        var (_, stdout, _) = await CliRun.InvokeAsync("transforms");

        Assert.Contains("engine: ZstdSharp", stdout, StringComparison.Ordinal);
    }
}
