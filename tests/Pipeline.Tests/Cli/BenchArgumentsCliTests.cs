using Pipeline.Tests.Support;

namespace Pipeline.Tests.Cli;

/// <summary><c>bench --chart</c> and <c>--work-dir</c>: checked before a corpus is generated; a folder the user already had is never removed.</summary>
public sealed class BenchArgumentsCliTests
{
    [Theory]
    [InlineData("missing/bench.svg", "error: --chart: '{path}': folder not found: {folder}")]
    [InlineData("charts", "error: --chart: '{path}' is a folder, not a file")]
    public async Task Bench_ChartThatCannotBeWritten_ExitsTwoBeforeGeneratingAnything(string relative, string expected)
    {
        using var temp = new TempDir();
        Directory.CreateDirectory(temp.Sub("charts"));
        var path = temp.Sub(relative);

        var (exit, stdout, stderr) = await CliRun.InvokeAsync("bench", "--transforms", "csv", "--rounds", "1", "--work-dir", temp.Sub("work"), "--chart", path);

        var line = expected.Replace("{path}", path, StringComparison.Ordinal).Replace("{folder}", Path.GetDirectoryName(path), StringComparison.Ordinal);
        Assert.Equal((2, line + "\n", string.Empty), (exit, stderr, stdout));
        Assert.Equal(["charts"], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFileSystemEntries(temp.Sub("charts")));
    }

    [Fact]
    public async Task Bench_WorkDirIsAFile_ExitsTwoAndLeavesTheFile()
    {
        using var temp = new TempDir();
        var file = temp.Write("notes.txt", "mine");

        var (exit, _, stderr) = await CliRun.InvokeAsync("bench", "--transforms", "csv", "--rounds", "1", "--work-dir", file);

        Assert.Equal((2, $"error: --work-dir: '{file}' is a file, not a folder\n"), (exit, stderr));
        Assert.Equal("mine", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task Bench_WorkDirThatExistedBefore_IsKeptWithWhatItHeld()
    {
        using var temp = new TempDir();
        var mine = temp.Write("work/mine.txt", "keep me");

        var (exit, _, stderr) = await CliRun.InvokeAsync("bench", "--size", "small", "--transforms", "csv", "--rounds", "1", "--json", "--work-dir", temp.Sub("work"));

        Assert.True(exit == 0, stderr);
        Assert.Equal($"corpus kept in {temp.Sub("work")}\n", stderr);
        Assert.Equal("keep me", await File.ReadAllTextAsync(mine));
        Assert.True(Directory.Exists(temp.Sub("work/csv")));
    }
}
