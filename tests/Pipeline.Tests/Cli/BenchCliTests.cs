using System.Text.Json;
using System.Xml.Linq;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Cli;

public sealed class BenchCliTests
{
    [Fact]
    public async Task Bench_SmallCsvWithChartAndSweep_ReportsIdenticalOutputsDrawsTheChartAndCleansUp()
    {
        using var temp = new TempDir();
        var work = temp.Sub("work");
        var chart = temp.Sub("bench.svg");

        var (exit, stdout, stderr) = await CliRun.InvokeAsync("bench", "--size", "small", "--transforms", "csv", "--rounds", "1", "--json", "--chart", chart, "--sweep-parallelism", "1,2", "--work-dir", work);

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(Environment.ProcessorCount, json.RootElement.GetProperty("cores").GetInt32());
        Assert.StartsWith("pipeline ", json.RootElement.GetProperty("build").GetString(), StringComparison.Ordinal);
        var result = Assert.Single(json.RootElement.GetProperty("results").EnumerateArray());
        Assert.Equal("csv", result.GetProperty("workload").GetString());
        Assert.Equal("csv", result.GetProperty("transform").GetString());
        Assert.Equal(10, result.GetProperty("files").GetInt32());
        Assert.True(result.GetProperty("identical").GetBoolean());
        Assert.True(result.GetProperty("speedup").GetDouble() > 0);
        Assert.True(result.GetProperty("speedup_low").GetDouble() <= result.GetProperty("speedup").GetDouble());
        Assert.True(result.GetProperty("speedup_high").GetDouble() >= result.GetProperty("speedup").GetDouble());
        Assert.Equal([1, 2], result.GetProperty("sweep").EnumerateArray().Select(p => p.GetProperty("parallelism").GetInt32()));
        Assert.All(result.GetProperty("sweep").EnumerateArray(), p =>
        {
            // Each point is a comparison of its own: outputs checked, CPU time measured, judged as compare's figures are.
            Assert.True(p.GetProperty("identical").GetBoolean());
            Assert.True(p.GetProperty("cpu_seconds").GetDouble() > 0);
            // The JSON rounds each figure (seconds to 6 places, cores busy to 3): the ratio of the rounded figures agrees within that.
            Assert.Equal(p.GetProperty("cpu_seconds").GetDouble() / p.GetProperty("seconds").GetDouble(), p.GetProperty("cores_busy").GetDouble(), 0.005);
            Assert.Equal(p.GetProperty("speedup_low").GetDouble() > Environment.ProcessorCount, p.GetProperty("suspect").GetBoolean());
        });
        var svg = XDocument.Load(chart);
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        Assert.Single(svg.Descendants(), e => e.Name.LocalName == "g" && (string?)e.Attribute("data-workload") == "csv");
        Assert.Single(svg.Descendants(), e => e.Name.LocalName == "polyline" && (string?)e.Attribute("class") == "ideal");
        Assert.False(Directory.Exists(work));
    }

    [Fact]
    public async Task Bench_ZstdSmall_ReportsTheZstdTransformWithIdenticalOutputs()
    {
        using var temp = new TempDir();

        var (exit, stdout, stderr) = await CliRun.InvokeAsync("bench", "--size", "small", "--transforms", "zstd-small", "--rounds", "1", "--json", "--work-dir", temp.Sub("work"));

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var result = Assert.Single(json.RootElement.GetProperty("results").EnumerateArray());
        Assert.Equal(("zstd-small", "zstd"), (result.GetProperty("workload").GetString(), result.GetProperty("transform").GetString()));
        Assert.True(result.GetProperty("identical").GetBoolean());
    }

    [Fact]
    public async Task Bench_UnknownTransform_IsABadArgument()
    {
        var (exit, _, stderr) = await CliRun.InvokeAsync("bench", "--transforms", "hash,zip");

        Assert.Equal(2, exit);
        Assert.Equal("error: --transforms: 'hash,zip' names unknown transform(s) zip; choose from hash, gzip, gunzip, csv, zstd, unzstd, exec (or one workload: hash-small, hash-large, gzip-small, gzip-large-text, gunzip, csv, zstd-small, zstd-large-text, unzstd, exec-small)\n", stderr);
    }

    [Fact]
    public async Task Generate_SameSeedTwice_WritesTheSameBytes()
    {
        using var temp = new TempDir();

        var first = await CliRun.InvokeAsync("generate", "hash-small", temp.Sub("a"), "--scale", "0.01");
        var second = await CliRun.InvokeAsync("generate", "hash-small", temp.Sub("b"), "--scale", "0.01");
        var other = await CliRun.InvokeAsync("generate", "hash-small", temp.Sub("c"), "--scale", "0.01", "--seed", "7");

        Assert.Equal((0, 0, 0), (first.ExitCode, second.ExitCode, other.ExitCode));
        Assert.Equal(200, Corpus.Snapshot(temp.Sub("a")).Count);
        Assert.Equal(Corpus.Snapshot(temp.Sub("a")), Corpus.Snapshot(temp.Sub("b")));
        Assert.NotEqual(Corpus.Snapshot(temp.Sub("a")), Corpus.Snapshot(temp.Sub("c")));
        Assert.All(Corpus.Snapshot(temp.Sub("a")).Values, bytes => Assert.InRange(bytes.Length, 1024, 8192));
    }

    [Fact]
    public async Task Generate_GzipOneLarge_WritesOneSeededTextFileOfTheScaledSize()
    {
        using var temp = new TempDir();

        var first = await CliRun.InvokeAsync("generate", "gzip-one-large", temp.Sub("a"), "--scale", "0.005");
        var second = await CliRun.InvokeAsync("generate", "gzip-one-large", temp.Sub("b"), "--scale", "0.005");

        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        var files = Corpus.Snapshot(temp.Sub("a"));
        var (name, bytes) = Assert.Single(files);
        Assert.Equal("large00.txt", name);
        Assert.Equal((long)(512L * 1024 * 1024 * 0.005), bytes.Length);
        Assert.Equal(files, Corpus.Snapshot(temp.Sub("b")));
        Assert.Equal(-1, bytes.AsSpan().IndexOfAnyExcept(System.Buffers.SearchValues.Create(" \nabcdefghijklmnopqrstuvwxyz0123456789"u8)));
    }

    [Fact]
    public async Task Generate_Csv_HasTheSuiteColumnsAndAFewMalformedRows()
    {
        using var temp = new TempDir();

        await CliRun.InvokeAsync("generate", "csv", temp.Sub("csv"), "--scale", "0.05");
        var summary = await CliRun.InvokeAsync("run", "csv", temp.Sub("csv"), "-o", temp.Sub("out"), "--json");

        var lines = await File.ReadAllLinesAsync(temp.Sub("csv/data000.csv"));
        Assert.Equal("id,timestamp,name,city,amount,quantity,category,note", lines[0]);
        Assert.Equal(20_001, lines.Length);
        using var json = JsonDocument.Parse(summary.Out);
        Assert.InRange(json.RootElement.GetProperty("bad_rows").GetInt64(), 1, 200);
    }

    [Fact]
    public async Task Generate_ManySmall_OneByteFilesFiveHundredAFolderTheSameBytesForTheSameSeed()
    {
        using var temp = new TempDir();

        var first = await CliRun.InvokeAsync("generate", "many-small", temp.Sub("a"), "--scale", "0.0012");
        var second = await CliRun.InvokeAsync("generate", "many-small", temp.Sub("b"), "--scale", "0.0012");
        var other = await CliRun.InvokeAsync("generate", "many-small", temp.Sub("c"), "--scale", "0.0012", "--seed", "7");

        Assert.Equal((0, 0, 0), (first.ExitCode, second.ExitCode, other.ExitCode));
        var files = Corpus.Snapshot(temp.Sub("a"));
        Assert.Equal(1200, files.Count);
        Assert.All(files.Values, bytes => Assert.Single(bytes));
        Assert.Equal([500, 500, 200], files.Keys.GroupBy(Path.GetDirectoryName).Select(g => g.Count()));
        Assert.Equal(["g00/d00/f0000000.bin", "g00/d02/f0001199.bin"], [files.Keys.Min(StringComparer.Ordinal)!, files.Keys.Max(StringComparer.Ordinal)!]);
        Assert.Equal(files, Corpus.Snapshot(temp.Sub("b")));
        Assert.NotEqual(files, Corpus.Snapshot(temp.Sub("c")));
    }

    [Fact]
    public async Task Generate_ManySmallCsv_TinyCsvFilesAQuarterWithAMalformedRowThatRunCsvLists()
    {
        using var temp = new TempDir();

        await CliRun.InvokeAsync("generate", "many-small-csv", temp.Sub("csv"), "--scale", "0.002");
        var summary = await CliRun.InvokeAsync("run", "csv", temp.Sub("csv"), "-o", temp.Sub("out"), "--json");

        var files = Corpus.Snapshot(temp.Sub("csv"));
        Assert.Equal(2000, files.Count);
        Assert.All(files.Values, bytes => Assert.StartsWith("id,city,amount\n", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal));
        var malformed = files.Values.Count(bytes => System.Text.Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries).Any(line => line.Split(',').Length == 2));
        Assert.InRange(malformed, 400, 600);
        Assert.Equal(0, summary.ExitCode);
        using var json = JsonDocument.Parse(summary.Out);
        Assert.Equal(malformed, json.RootElement.GetProperty("bad_rows").GetInt64());
        Assert.Equal(malformed + 1, (await File.ReadAllLinesAsync(temp.Sub("out/bad-rows.csv"))).Length);
    }
}
