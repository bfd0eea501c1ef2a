using System.Text.Json;
using Pipeline.Csv;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Csv;

/// <summary>A header naming a column more than once, or not at all: never a silent guess.</summary>
public sealed class CsvDuplicateHeaderTests
{
    [Fact]
    public async Task Run_SelectNamesARepeatedColumn_FailsThatFileAndTheRunGoesOn()
    {
        using var temp = new TempDir();
        temp.Write("in/dup.csv", "id,name,name\n1,a,b\n");
        temp.Write("in/ok.csv", "id,name\n1,a\n");

        var summary = await RunAsync(temp, new CsvTransformOptions { Select = ["id", "name"] });

        var failed = Assert.Single(summary.Results, r => r.Status == FileStatus.Failed);
        Assert.Equal(("dup.csv", "column 'name' in the selection is ambiguous: the header has it 2 times (columns 2 and 3)"), (failed.RelativePath, failed.Error));
        Assert.False(File.Exists(temp.Sub("out/dup.csv")));
        Assert.Equal("id,name\n1,a\n", await File.ReadAllTextAsync(temp.Sub("out/ok.csv")));
    }

    [Fact]
    public async Task Run_WhereNamesAColumnThreeTimesInTheHeader_FailsNamingEveryPosition()
    {
        using var temp = new TempDir();
        temp.Write("in/dup.csv", "name,id,name,x,name\nb,1,a,0,c\n");

        var summary = await RunAsync(temp, new CsvTransformOptions { Select = ["id"], Where = ["name=a"], To = CsvOutputFormat.Jsonl });

        Assert.Equal("column 'name' in the condition 'name=a' is ambiguous: the header has it 3 times (columns 1, 3 and 5)", Assert.Single(summary.Results).Error);
        Assert.False(File.Exists(temp.Sub("out/dup.jsonl")));
    }

    [Fact]
    public async Task Run_RepeatedColumnsNotNamedBySelectOrWhere_PassThroughToCsv()
    {
        using var temp = new TempDir();
        temp.Write("all/all.csv", "id,name,name\n1,a,b\n2,c,d\n");
        temp.Write("some/some.csv", "id,name,name,n\n1,a,b,5\n2,c,d,7\n");

        var all = await RunAsync(temp, new CsvTransformOptions { Where = ["id>1"] }, "all", "all-out");
        var some = await RunAsync(temp, new CsvTransformOptions { Select = ["n", "id"], Where = ["n>5"] }, "some", "some-out");

        Assert.Equal(1, all.FilesSucceeded);
        Assert.Equal(1, some.FilesSucceeded);
        Assert.Equal("id,name,name\n2,c,d\n", await File.ReadAllTextAsync(temp.Sub("all-out/all.csv")));
        Assert.Equal("n,id\n7,2\n", await File.ReadAllTextAsync(temp.Sub("some-out/some.csv")));
    }

    [Fact]
    public async Task Run_ToJsonlWithRepeatedAndEmptyNames_EveryKeyIsUniqueByTheDocumentedRule()
    {
        using var temp = new TempDir();
        temp.Write("in/h.csv", "id,name,name,name_2,,name\n1,a,b,c,d,e\n");

        var summary = await RunAsync(temp, new CsvTransformOptions { To = CsvOutputFormat.Jsonl });

        Assert.Equal(1, summary.FilesSucceeded);
        var line = await File.ReadAllTextAsync(temp.Sub("out/h.jsonl"));
        Assert.Equal("{\"id\":\"1\",\"name\":\"a\",\"name_3\":\"b\",\"name_2\":\"c\",\"column_5\":\"d\",\"name_4\":\"e\"}\n", line);
        using var json = JsonDocument.Parse(line);
        var keys = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Run_ToJsonlSelectingOneOfTwoColumnsWithARepeatedNeighbour_KeepsTheOriginalName()
    {
        using var temp = new TempDir();
        temp.Write("in/h.csv", "id,name,name\n1,a,b\n");

        await RunAsync(temp, new CsvTransformOptions { To = CsvOutputFormat.Jsonl, Select = ["id"] });

        Assert.Equal("{\"id\":\"1\"}\n", await File.ReadAllTextAsync(temp.Sub("out/h.jsonl")));
    }

    [Theory]
    [InlineData("id,name,name", "id,name,name_2")]
    [InlineData("a,a,a", "a,a_2,a_3")]
    [InlineData("id,name,name,name_2,,name", "id,name,name_3,name_2,column_5,name_4")]
    [InlineData(",,", "column_1,column_2,column_3")]
    [InlineData(",column_1", "column_1_2,column_1")]
    [InlineData("column,column,column_2,,column_3", "column,column_4,column_2,column_4_2,column_3")]
    [InlineData("a,b,c", "a,b,c")]
    [InlineData("é,é,É", "é,é_2,É")]
    public void JsonPropertyNames_Header_FirstKeepsItsNameLaterOnesTakeTheNextFreeSuffix(string header, string expected)
    {
        Assert.Equal(expected.Split(','), JsonLinesRowWriter.PropertyNames(header.Split(',')));
    }

    [Fact]
    public async Task RunCsvCli_SelectARepeatedColumn_ExitsOneNamingTheFileAndTheColumn()
    {
        using var temp = new TempDir();
        temp.Write("in/dup.csv", "id,name,name\n1,a,b\n");
        temp.Write("in/ok.csv", "id,name\n1,a\n");

        var (exit, _, stderr) = await CliRun.InvokeAsync("run", "csv", temp.Sub("in"), "-o", temp.Sub("out"), "--select", "name", "--quiet");

        Assert.Equal(1, exit);
        Assert.Equal("error: dup.csv: column 'name' in the selection is ambiguous: the header has it 2 times (columns 2 and 3)\n", stderr.ReplaceLineEndings("\n"));
        Assert.Equal("name\na\n", await File.ReadAllTextAsync(temp.Sub("out/ok.csv")));
    }

    private static async Task<RunSummary> RunAsync(TempDir temp, CsvTransformOptions options, string input = "in", string output = "out") =>
        await DataflowRunner.RunAsync(new CsvTransform(options), new PipelineOptions(new FileSelection(temp.Sub(input)), temp.Sub(output)));
}
