using System.Text.Json;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Cli;

public sealed class GzipCliTests
{
    [Fact]
    public async Task RunGzipThenGunzip_TestData_RoundTripsEveryFile()
    {
        using var temp = new TempDir();

        var zip = await CliRun.InvokeAsync("run", "gzip", Corpus.TestDataRoot, "-o", temp.Sub("gz"), "--level", "9");
        temp.Write("gz/notes.txt", "not compressed, so gunzip's default include leaves it alone");
        var unzip = await CliRun.InvokeAsync("run", "gunzip", temp.Sub("gz"), "-o", temp.Sub("back"), "--json");

        Assert.Equal((0, ""), (zip.ExitCode, zip.Error));
        Assert.Equal((0, ""), (unzip.ExitCode, unzip.Error));
        using var json = JsonDocument.Parse(unzip.Out);
        Assert.Equal(Corpus.Snapshot(Corpus.TestDataRoot).Count, json.RootElement.GetProperty("files_ok").GetInt32());
        Assert.Equal(Corpus.Snapshot(Corpus.TestDataRoot), Corpus.Snapshot(temp.Sub("back")));
    }

    [Fact]
    public async Task RunGunzip_TruncatedFile_ExitsOneNamingItAndLeavesNoOutputForIt()
    {
        using var temp = new TempDir();
        await CliRun.InvokeAsync("run", "gzip", Corpus.TestDataRoot, "-o", temp.Sub("gz"), "--include", "text/**");
        var whole = await File.ReadAllBytesAsync(temp.Sub("gz/text/nested/lorem.txt.gz"));
        await File.WriteAllBytesAsync(temp.Sub("gz/text/nested/lorem.txt.gz"), whole[..(whole.Length - 20)]);

        var (exit, _, stderr) = await CliRun.InvokeAsync("run", "gunzip", temp.Sub("gz"), "-o", temp.Sub("back"));

        Assert.Equal(1, exit);
        Assert.Equal("error: text/nested/lorem.txt.gz: truncated gzip data (the file ends inside a member)\n", stderr);
        Assert.False(File.Exists(temp.Sub("back/text/nested/lorem.txt")));
        Assert.True(File.Exists(temp.Sub("back/text/fox.txt")));
    }

    [Fact]
    public async Task CompareGzip_TestData_OutputsIdentical()
    {
        var (exit, stdout, stderr) = await CliRun.InvokeAsync("compare", "gzip", Corpus.TestDataRoot, "--rounds", "1", "--json");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.True(json.RootElement.GetProperty("identical").GetBoolean());
    }

    [Fact]
    public async Task Transforms_ListsAllBuiltIns()
    {
        var (_, stdout, _) = await CliRun.InvokeAsync("transforms");

        var names = stdout.Split('\n').Where(l => l.Length > 0 && l[0] != ' ').Select(l => l.Split("  ")[0]);
        Assert.Equal(["hash", "csv", "gzip", "gunzip", "zstd", "unzstd", "exec", "verify"], names);
        Assert.Contains("--level, -l <n>", stdout, StringComparison.Ordinal);
    }
}
