using System.Text.Json;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Cli;

public sealed class CsvCliTests
{
    [Fact]
    public async Task RunCsv_TestData_SelectsFiltersReportsBadRowsAndExitsOneForTheUnreadableFiles()
    {
        using var temp = new TempDir();

        var (exit, stdout, stderr) = await CliRun.InvokeAsync("run", "csv", Corpus.TestDataRoot, "-o", temp.Sub("out"), "--include", "csv/**", "--select", "id,city,amount", "--where", "amount>500", "--json");

        Assert.Equal(1, exit);
        var errors = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(
            [
                "error: csv/bad/binary.csv: line 1: not a CSV text file (binary data or invalid UTF-8 in the first row)",
                "error: csv/bad/empty.csv: empty file: no header row",
            ],
            errors.Where(e => e.StartsWith("error:", StringComparison.Ordinal)));
        Assert.Contains($"warning: csv/bad/wrong-field-count.csv: 2 malformed row(s) left out, listed in {temp.Sub("out/bad-rows.csv")}", errors);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(4, json.RootElement.GetProperty("bad_rows").GetInt64());
        Assert.Equal("id,city,amount\n2,Berlin,980.00\n4,Zürich,1500.00\n5,Paris,501\n", await File.ReadAllTextAsync(temp.Sub("out/csv/good/sales.csv")));
        Assert.Equal("id,city,amount\n10,Oslo,700\n", await File.ReadAllTextAsync(temp.Sub("out/csv/good/crlf.csv")));
        Assert.Equal("id,city,amount\n20,Madrid,650\n", await File.ReadAllTextAsync(temp.Sub("out/csv/good/bom.csv")));
        var badRows = await File.ReadAllLinesAsync(temp.Sub("out/bad-rows.csv"));
        Assert.Equal("file,line,reason,raw", badRows[0]);
        Assert.Contains("csv/bad/wrong-field-count.csv,3,\"2 fields, expected 3\",\"2,Berlin\"", badRows);
    }

    [Fact]
    public async Task CompareCsv_GeneratedFiles_OutputsIdentical()
    {
        using var temp = new TempDir();
        var corpus = new CsvCorpus();
        for (var i = 0; i < 4; i++)
        {
            corpus.Write(temp.Sub("in"), $"f{i}.csv", rows: 500, seed: i, crlf: i == 1, bom: i == 2, badEvery: 50);
        }

        var (exit, stdout, stderr) = await CliRun.InvokeAsync("compare", "csv", temp.Sub("in"), "--rounds", "1", "--to", "jsonl", "--where", "city~o", "--json", "--chunk-size", "4096");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.True(json.RootElement.GetProperty("identical").GetBoolean());
        Assert.Equal(4, json.RootElement.GetProperty("files").GetInt32());
    }

    [Theory]
    [InlineData("--delimiter", "ab")]
    [InlineData("--where", "nooperator")]
    [InlineData("--to", "xml")]
    [InlineData("--bad-rows", "ignore")]
    [InlineData("--infer-types", null)]
    public async Task RunCsv_BadOption_ExitsTwoAndTouchesNothing(string option, string? value)
    {
        using var temp = new TempDir();
        temp.Write("in/a.csv", "a\n1\n");
        string[] args = ["run", "csv", temp.Sub("in"), "-o", temp.Sub("out"), option, .. value is null ? Array.Empty<string>() : [value]];

        var (exit, _, stderr) = await CliRun.InvokeAsync(args);

        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Sub("out")));
    }
}
