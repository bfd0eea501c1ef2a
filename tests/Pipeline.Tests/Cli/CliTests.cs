using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Tests.Hostile;
using Pipeline.Tests.Running;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Cli;

public sealed class CliTests
{
    [Fact]
    public async Task RunHash_TestData_ExitsZeroWritesManifestAndPrintsSummary()
    {
        using var temp = new TempDir();

        var (exit, stdout, stderr) = await CliRun.InvokeAsync("run", "hash", Corpus.TestDataRoot, "-o", temp.Sub("out"));

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr);
        Assert.Contains("pipeline run hash", stdout, StringComparison.Ordinal);
        Assert.Contains("| files ok |", stdout, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(temp.Sub("out/SHA256SUMS"));
        Assert.Equal(Directory.GetFiles(Corpus.TestDataRoot, "*", SearchOption.AllDirectories).Length, lines.Length);
        var fox = lines.Single(l => l.EndsWith("  text/fox.txt", StringComparison.Ordinal));
        Assert.StartsWith(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Join(Corpus.TestDataRoot, "text/fox.txt")))), fox, StringComparison.Ordinal);
    }

    [LinuxFact]
    public async Task RunHash_WithAFileThatCannotBeRead_ExitsOneNamesTheFileAndHashesTheRest()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        temp.Write("in/b.txt", "b");
        FailureTests.MakeFifo(temp.Sub("in/stuck.pipe"));
        var report = temp.Sub("report.csv");

        var (exit, stdout, stderr) = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "--report", report, "--json");

        Assert.Equal(1, exit);
        Assert.Equal("error: stuck.pipe: not a regular file (named pipe)\n", stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(2, json.RootElement.GetProperty("files_ok").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("files_failed").GetInt32());
        Assert.Equal("stuck.pipe", json.RootElement.GetProperty("failed")[0].GetProperty("path").GetString());
        Assert.Equal(2, (await File.ReadAllLinesAsync(temp.Sub("out/SHA256SUMS"))).Length);
        var reportLines = await File.ReadAllLinesAsync(report);
        Assert.Equal("path,status,bytes_in,bytes_out,milliseconds,error", reportLines[0]);
        Assert.StartsWith("a.txt,succeeded,1,0,", reportLines[1], StringComparison.Ordinal);
        Assert.StartsWith("stuck.pipe,failed,0,0,", reportLines[3], StringComparison.Ordinal);
        Assert.EndsWith(",not a regular file (named pipe)", reportLines[3], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sha1", "SHA1SUMS", 40)]
    [InlineData("sha384", "SHA384SUMS", 96)]
    [InlineData("md5", "MD5SUMS", 32)]
    [InlineData("blake3", "B3SUMS", 64)]
    [InlineData("xxh128", "XXH128SUMS", 32)]
    public async Task RunHash_AlgorithmOption_WritesThatManifest(string algorithm, string manifest, int hexLength)
    {
        using var temp = new TempDir();
        temp.Write("in/x.txt", "x");

        var (exit, _, _) = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "--algorithm", algorithm);

        Assert.Equal(0, exit);
        var line = Assert.Single(await File.ReadAllLinesAsync(temp.Sub("out/" + manifest)));
        Assert.Equal(hexLength + "  x.txt".Length, line.Length);
    }

    [Theory]
    [InlineData("run", "hash", "{in}")]
    [InlineData("run", "hash", "{in}", "-o", "{out}", "--parallelism", "0")]
    [InlineData("run", "hash", "{in}", "-o", "{out}", "--algorithm", "crc32")]
    [InlineData("run", "nosuchtransform", "{in}", "-o", "{out}")]
    [InlineData("run", "hash", "{missing}", "-o", "{out}")]
    [InlineData("run", "hash", "{in}", "-o", "{in}")]
    [InlineData("compare", "hash", "{in}", "--rounds", "0")]
    [InlineData("list", "{missing}")]
    public async Task Commands_BadArguments_ExitTwoWithAnErrorLineAndTouchNothing(params string[] template)
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        var args = template.Select(a => a.Replace("{in}", temp.Sub("in"), StringComparison.Ordinal)
            .Replace("{out}", temp.Sub("out"), StringComparison.Ordinal)
            .Replace("{missing}", temp.Sub("missing"), StringComparison.Ordinal)).ToArray();

        var (exit, stdout, stderr) = await CliRun.InvokeAsync(args);

        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout);
        Assert.False(Directory.Exists(temp.Sub("out")));
        Assert.Equal(["a.txt"], Directory.GetFiles(temp.Sub("in")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task List_WithIncludeAndExclude_PrintsRelativePathsInOrder()
    {
        var (exit, stdout, stderr) = await CliRun.InvokeAsync("list", Corpus.TestDataRoot, "--include", "**/*.csv", "--include", "*.txt", "--exclude", "csv/bad/**");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr);
        Assert.Equal("a-b.txt\ncsv/good/bom.csv\ncsv/good/crlf.csv\ncsv/good/header-only.csv\ncsv/good/sales.csv\n", stdout);
    }

    [Fact]
    public async Task List_EmptyFolder_PrintsNothingAndExitsZero()
    {
        using var temp = new TempDir();

        var (exit, stdout, stderr) = await CliRun.InvokeAsync("list", temp.Path);

        Assert.Equal((0, "", ""), (exit, stdout, stderr));
    }

    [Fact]
    public async Task Transforms_ListsHashWithItsOptions()
    {
        var (exit, stdout, _) = await CliRun.InvokeAsync("transforms");

        Assert.Equal(0, exit);
        Assert.StartsWith("hash  ", stdout, StringComparison.Ordinal);
        Assert.Contains("--algorithm, -a <name>", stdout, StringComparison.Ordinal);
        Assert.Contains("--format <format>", stdout, StringComparison.Ordinal);
    }

    // The compare tests that check the scratch is removed run the tool as a child with a TMPDIR of their own: other test
    // classes run compare at the same time, and a count of the shared temporary folder's entries would see theirs.
    [LinuxFact]
    public async Task CompareHash_GeneratedTree_ReportsIdenticalOutputsAsJsonAndCleansUp()
    {
        using var c = new HostileCase();
        Corpus.Generate(c.In, files: 60, maxSize: 20_000);
        var tmp = Directory.CreateDirectory(c.Sub("tmp")).FullName;

        var run = await c.RunAsync(OwnTmpdir(tmp), "compare", "hash", c.In, "--rounds", "2", "--json", "--chunk-size", "8192");

        HostileCase.AssertExit(run, 0);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal("hash", root.GetProperty("transform").GetString());
        Assert.Equal(60, root.GetProperty("files").GetInt32());
        Assert.True(root.GetProperty("identical").GetBoolean());
        Assert.Equal(Environment.ProcessorCount, root.GetProperty("cores").GetInt32());
        Assert.True(root.GetProperty("sequential").GetProperty("seconds").GetDouble() > 0);
        Assert.True(root.GetProperty("pipeline").GetProperty("files_per_s").GetDouble() > 0);
        Assert.True(root.GetProperty("speedup").GetDouble() > 0);
        Assert.Empty(Directory.GetFileSystemEntries(tmp));
    }

    [Fact]
    public async Task CompareHash_Table_ShowsBothModesAndTheSpeedup()
    {
        var (exit, stdout, _) = await CliRun.InvokeAsync("compare", "hash", Corpus.TestDataRoot, "--rounds", "1");

        Assert.Equal(0, exit);
        Assert.Contains("| sequential |", stdout, StringComparison.Ordinal);
        Assert.Contains("| pipeline   |", stdout, StringComparison.Ordinal);
        Assert.Matches(@"speedup \d+\.\d\dx \(\d+\.\d\d-\d+\.\d\d\), efficiency \d+\.\d\d on \d+ cores; outputs identical", stdout);
        Assert.Matches(@"\| sequential \| +[\d.]+ (s|ms|µs) \([\d.]+-[\d.]+\) \|", stdout);

        // testdata's 20 files take about a millisecond a round on a quiet machine: too little to time, and the output
        // says so exactly when a median round was under 10 ms (on a loaded machine a round can take longer).
        var shortest = new[] { "sequential", "pipeline  " }.Min(mode => Seconds(Regex.Match(stdout, $@"\| {mode} \| +([\d.]+) (s|ms|µs) ")));
        Assert.Equal(shortest < 0.010, stdout.Contains("too small to time: a round took ", StringComparison.Ordinal));
        Assert.Equal(shortest < 0.010, stdout.Contains("`pipeline bench` generates a corpus big enough to measure", StringComparison.Ordinal));
        Assert.StartsWith($"processed {Corpus.TestDataRoot}\n", stdout, StringComparison.Ordinal);

        static double Seconds(Match m) =>
            double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * m.Groups[2].Value switch { "s" => 1, "ms" => 1e-3, _ => 1e-6 };
    }

    [LinuxFact]
    public async Task CompareHash_NoFolder_RunsOnASeededSampleSaysWhatItProcessedAndRemovesIt()
    {
        using var c = new HostileCase();
        var tmp = Directory.CreateDirectory(c.Sub("tmp")).FullName;

        var run = await c.RunAsync(OwnTmpdir(tmp) with { Timeout = TimeSpan.FromMinutes(3) }, "compare", "hash", "--rounds", "1", "--json");

        HostileCase.AssertExit(run, 0);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal("384 random files of 1 MiB (402.7 MB, seed 42)", root.GetProperty("sample").GetString());
        Assert.Equal(384, root.GetProperty("files").GetInt32());
        Assert.Equal(384L << 20, root.GetProperty("bytes").GetInt64());
        Assert.True(root.GetProperty("identical").GetBoolean());
        Assert.True(root.GetProperty("sequential").GetProperty("cpu_seconds").GetDouble() > 0);
        Assert.Empty(Directory.GetFileSystemEntries(tmp));
    }

    [Fact]
    public async Task RunHash_CancelledBeforeStart_ExitsOneThirtyAndWritesNoManifest()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var (exit, _, stderr) = await CliRun.InvokeAsync(cancelled.Token, "run", "hash", temp.Sub("in"), "-o", temp.Sub("out"));

        Assert.Equal(130, exit);
        Assert.Contains("cancelled", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.Sub("out/SHA256SUMS")));
    }

    [Fact]
    public async Task CompareZstdAndUnzstd_TestData_OutputsIdentical()
    {
        using var temp = new TempDir();
        await CliRun.InvokeAsync("run", "zstd", Corpus.TestDataRoot, "-o", temp.Sub("zst"), "--quiet");

        foreach (var (transform, input) in new[] { ("zstd", Corpus.TestDataRoot), ("unzstd", temp.Sub("zst")) })
        {
            var (exit, stdout, stderr) = await CliRun.InvokeAsync("compare", transform, input, "--rounds", "1", "--json", "--chunk-size", "4096");

            Assert.True(exit == 0, stderr);
            using var json = JsonDocument.Parse(stdout);
            Assert.True(json.RootElement.GetProperty("identical").GetBoolean(), transform);
        }
    }

    private static ChildSettings OwnTmpdir(string folder) => new(Timeout: TimeSpan.FromMinutes(1), Environment: new Dictionary<string, string> { ["TMPDIR"] = folder });
}
