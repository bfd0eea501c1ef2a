using System.Globalization;
using System.Text;
using System.Text.Json;
using Pipeline.Csv;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;
using Pipeline.Transforms;

namespace Pipeline.Tests.Csv;

public sealed class CsvTransformTests
{
    private static readonly CsvTransformOptions SelectWhere = new() { Select = ["id", "city", "amount"], Where = ["amount>500"] };

    [Theory]
    [InlineData(1024 * 1024)]
    [InlineData(PipelineOptions.MinChunkSize)]
    public async Task Run_GeneratedFilesWithBadRows_WritesExactlyTheReferenceRowsAndListsEveryBadRow(int chunkSize)
    {
        using var temp = new TempDir();
        var corpus = new CsvCorpus();
        corpus.Write(temp.Sub("in"), "lf.csv", rows: 700, seed: 1, crlf: false, bom: false, badEvery: 37);
        corpus.Write(temp.Sub("in"), "sub/crlf-bom.csv", rows: 700, seed: 2, crlf: true, bom: true, badEvery: 41);
        corpus.Write(temp.Sub("in"), "sub/tail.csv", rows: 50, seed: 3, crlf: false, bom: false, badEvery: 0, unterminatedAtEnd: true);
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")) { ChunkSize = chunkSize };

        var summary = await DataflowRunner.RunAsync(new CsvTransform(SelectWhere), options);

        Assert.Equal(3, summary.FilesSucceeded);
        foreach (var file in (string[])["lf.csv", "sub/crlf-bom.csv", "sub/tail.csv"])
        {
            var expected = new StringBuilder("id,city,amount\n");
            foreach (var row in corpus.Rows.Where(r => r.File == file && r.BadReason is null && double.Parse(r.Fields[4], CultureInfo.InvariantCulture) > 500))
            {
                expected.Append(row.Fields[0]).Append(',').Append(row.Fields[3]).Append(',').Append(row.Fields[4]).Append('\n');
            }

            Assert.Equal(expected.ToString(), await File.ReadAllTextAsync(temp.Sub("out/" + file)));
        }

        var expectedBad = corpus.Rows.Where(r => r.BadReason is not null).Select(r => $"{r.File}:{r.Line}:{r.BadReason}").Order(StringComparer.Ordinal).ToList();
        var actualBad = ReadBadRows(temp.Sub("out/bad-rows.csv")).Select(b => $"{b[0]}:{b[1]}:{b[2]}").Order(StringComparer.Ordinal).ToList();
        Assert.True(expectedBad.Count > 30);
        Assert.Equal(expectedBad, actualBad);
    }

    [Fact]
    public async Task SequentialAndPipeline_GeneratedFilesSmallChunks_WriteIdenticalBytes()
    {
        using var temp = new TempDir();
        var corpus = new CsvCorpus();
        for (var i = 0; i < 6; i++)
        {
            corpus.Write(temp.Sub("in"), $"f{i}.csv", rows: 300, seed: 10 + i, crlf: i % 2 == 0, bom: i % 3 == 0, badEvery: 23);
        }

        foreach (var options in new[] { SelectWhere, new CsvTransformOptions { To = CsvOutputFormat.Jsonl, InferTypes = true } })
        {
            var transform = new CsvTransform(options);
            var sequential = await SequentialRunner.RunAsync(transform, new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("seq")) { ChunkSize = 4096 });
            var pipelined = await DataflowRunner.RunAsync(transform, new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("pipe")) { ChunkSize = 4096 });

            Assert.Equal(6, sequential.FilesSucceeded);
            Assert.Equal(6, pipelined.FilesSucceeded);
            Assert.Equal(Corpus.Snapshot(temp.Sub("seq")), Corpus.Snapshot(temp.Sub("pipe")));
            Directory.Delete(temp.Sub("seq"), true);
            Directory.Delete(temp.Sub("pipe"), true);
        }
    }

    [Theory]
    [InlineData("a,b,c\n1,2,3\n4,5\n6,7,8\n", 3, "2 fields, expected 3")]
    [InlineData("a,b,c\r\n1,2,3\r\n\"x\ny\",2,3\r\n4,5,6,7\r\n", 5, "4 fields, expected 3")]
    [InlineData("a,b,c\n\n1,2,3\n\n4,5\n", 5, "2 fields, expected 3")]
    [InlineData("a,b,c\n1,\"multi\r\nline\",3\n1,2,\"open\n3,4,5\n", 4, "unterminated quoted field")]
    [InlineData("a,b,c\n1,2,3\n1,x\"y,3\n", 3, "a quote inside an unquoted field")]
    [InlineData("a,b,c\n1,2,3\n1,\xFF,3\n", 3, "invalid UTF-8")]
    [InlineData("a,b,c\r1,2,3\r4,5\r", 3, "2 fields, expected 3")]
    public async Task Run_MalformedRow_IsListedWithItsPhysicalLineAndLeftOut(string content, long line, string reason)
    {
        using var temp = new TempDir();
        temp.Write("in/x.csv", Latin1IfMarked(content));

        var summary = await RunAsync(temp, new CsvTransformOptions());

        var outcome = Assert.IsType<CsvFileOutcome>(Assert.Single(summary.Results).Artifact);
        var bad = Assert.Single(outcome.BadRows);
        Assert.Equal((line, reason), (bad.Line, bad.Reason));
        Assert.Equal(outcome.RowsRead - 1, outcome.RowsWritten);
        Assert.DoesNotContain(bad.Raw.Split('\n')[0], await File.ReadAllTextAsync(temp.Sub("out/x.csv")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_BadRowsFail_FailsTheFileAtTheFirstBadLineAndWritesNothingForIt()
    {
        using var temp = new TempDir();
        temp.Write("in/bad.csv", "a,b\n1,2\n3\n4,5,6\n");
        temp.Write("in/good.csv", "a,b\n1,2\n");

        var summary = await RunAsync(temp, new CsvTransformOptions { BadRows = BadRowPolicy.Fail });

        var failed = Assert.Single(summary.Results, r => r.Status == FileStatus.Failed);
        Assert.Equal(("bad.csv", "line 3: 1 fields, expected 2"), (failed.RelativePath, failed.Error));
        Assert.False(File.Exists(temp.Sub("out/bad.csv")));
        Assert.Equal("a,b\n1,2\n", await File.ReadAllTextAsync(temp.Sub("out/good.csv")));
    }

    [Fact]
    public async Task Run_UnknownColumn_FailsTheFileNamingTheColumnAndTheHeader()
    {
        using var temp = new TempDir();
        temp.Write("in/x.csv", "id,city\n1,Paris\n");

        var summary = await RunAsync(temp, new CsvTransformOptions { Select = ["id", "amount"] });

        Assert.Equal("unknown column 'amount' in the selection; the header is: id,city", Assert.Single(summary.Results).Error);
    }

    [Fact]
    public async Task Run_EmptyHeaderOnlyAndBinaryFiles_EachGetAClearResult()
    {
        using var temp = new TempDir();
        temp.Write("in/empty.csv", "");
        temp.Write("in/header.csv", "id,city\n");
        temp.Write("in/binary.csv", [0x89, 0x50, 0x4E, 0x47, 0x00, 0x0A, 0xFF, 0x00, 0x0A, 0x01]);

        var summary = await RunAsync(temp, new CsvTransformOptions { Select = ["city"] });

        Assert.Equal("line 1: not a CSV text file (binary data or invalid UTF-8 in the first row)", summary.Results.Single(r => r.RelativePath == "binary.csv").Error);
        Assert.Equal("empty file: no header row", summary.Results.Single(r => r.RelativePath == "empty.csv").Error);
        Assert.Equal(FileStatus.Succeeded, summary.Results.Single(r => r.RelativePath == "header.csv").Status);
        Assert.Equal("city\n", await File.ReadAllTextAsync(temp.Sub("out/header.csv")));
    }

    [Fact]
    public async Task Run_ToJsonl_EscapesEverythingJsonNeedsAndKeepsStrings()
    {
        using var temp = new TempDir();
        temp.Write("in/data.csv", "id,text,n\n1,\"quote \"\" back\\slash\ttab\",007\n2,\"line\nbreak, and é 東京\",\n3,\u0001ctl,1e3\n");

        await RunAsync(temp, new CsvTransformOptions { To = CsvOutputFormat.Jsonl });

        var lines = (await File.ReadAllTextAsync(temp.Sub("out/data.jsonl"))).Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Equal("", lines[3]);
        Assert.Equal("{\"id\":\"1\",\"text\":\"quote \\\" back\\\\slash\\ttab\",\"n\":\"007\"}", lines[0]);
        Assert.Equal("{\"id\":\"2\",\"text\":\"line\\nbreak, and é 東京\",\"n\":\"\"}", lines[1]);
        using var third = JsonDocument.Parse(lines[2]);
        Assert.Equal("\u0001ctl", third.RootElement.GetProperty("text").GetString());
        Assert.False(File.Exists(temp.Sub("out/data.csv")));
    }

    [Fact]
    public async Task Run_ToJsonlInferTypes_WritesNumbersBooleansAndNulls()
    {
        using var temp = new TempDir();
        temp.Write("in/t.csv", "a,b,c,d,e\n-12.5e3,true,,007,1.\n");

        await RunAsync(temp, new CsvTransformOptions { To = CsvOutputFormat.Jsonl, InferTypes = true });

        Assert.Equal("{\"a\":-12.5e3,\"b\":true,\"c\":null,\"d\":\"007\",\"e\":\"1.\"}\n", await File.ReadAllTextAsync(temp.Sub("out/t.jsonl")));
    }

    [Fact]
    public async Task Run_NoHeaderSemicolonsToTabs_UsesColumnNumbers()
    {
        using var temp = new TempDir();
        temp.Write("in/n.csv", "1;Paris;700\n2;Rome;300\n3;\"Oslo;Norway\";900\n");

        await RunAsync(temp, new CsvTransformOptions { HasHeader = false, Delimiter = ';', OutputDelimiter = '\t', Select = ["3", "2"], Where = ["3>=700"] });

        Assert.Equal("700\tParis\n900\tOslo;Norway\n", await File.ReadAllTextAsync(temp.Sub("out/n.csv")));
    }

    [Fact]
    public async Task Run_RecordLongerThanTheLimit_IsABadRowAndMemoryStaysBounded()
    {
        using var temp = new TempDir();
        var content = "a,b\n1,2\n3,\"" + new string('x', 200_000) + "\n5,6\n";
        temp.Write("in/long.csv", content);

        var summary = await RunAsync(temp, new CsvTransformOptions { MaxRecordBytes = 64 * 1024 }, chunkSize: 8192);

        var outcome = Assert.IsType<CsvFileOutcome>(Assert.Single(summary.Results).Artifact);
        var bad = Assert.Single(outcome.BadRows);
        Assert.Equal(3, bad.Line);
        Assert.StartsWith("record longer than 65536 bytes", bad.Reason, StringComparison.Ordinal);
        Assert.Equal(BadRow.MaxRawLength, bad.Raw.Length);
        Assert.Equal("a,b\n1,2\n", await File.ReadAllTextAsync(temp.Sub("out/long.csv")));
    }

    [Fact]
    public void Options_Validate_ReportsEveryProblemAtOnce()
    {
        var options = new CsvTransformOptions { Delimiter = '"', Where = ["amount", "x~("], InferTypes = true, Select = ["a", "a"] };

        var error = Assert.Throws<PipelineOptionsException>(options.Validate);

        Assert.Equal(
            [
                "Delimiter: must be one ASCII character other than a quote or a line break",
                "Select: names column 'a' twice",
                "Where: 'amount' is not a condition: expected 'column OP value' with OP one of = != > >= < <= ~",
                "Where: 'x~(' is not a condition: invalid regular expression",
                "InferTypes: applies only when To is Jsonl",
            ],
            error.Problems.Select(d => d.ToString()).Select(p => p.StartsWith("Where: 'x~('", StringComparison.Ordinal) ? p[..p.IndexOf("expression", StringComparison.Ordinal)] + "expression" : p));
        Assert.Equal(["Delimiter", "Select", "Where", "Where", "InferTypes"], error.Problems.Select(d => d.Property));
        Assert.DoesNotContain(error.Problems, p => p.Reason.Contains("--", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1024 * 1024)]
    [InlineData(4096)] // rows split across chunks
    public async Task Run_PadShortRows_PadsRowsWithFewerFieldsAndKeepsLongerOnesBad(int chunkSize)
    {
        using var temp = new TempDir();
        var rows = string.Concat(Enumerable.Range(0, 400).Select(i => i % 3 == 0 ? $"{i},x\n" : i % 3 == 1 ? $"{i},\"y\",z\n" : $"{i}\n"));
        temp.Write("in/x.csv", "id,b,c\n" + rows + "1,2,3,4\n");

        var padded = await RunAsync(temp, new CsvTransformOptions { PadShortRows = true, Where = ["c="] }, chunkSize);

        var outcome = Assert.IsType<CsvFileOutcome>(Assert.Single(padded.Results).Artifact);
        Assert.Equal((401L, 267L), (outcome.RowsRead, outcome.RowsWritten));
        Assert.Equal("4 fields, expected 3", Assert.Single(outcome.BadRows).Reason);
        var expected = "id,b,c\n" + string.Concat(Enumerable.Range(0, 400).Where(i => i % 3 != 1).Select(i => i % 3 == 0 ? $"{i},x,\n" : $"{i},,\n"));
        Assert.Equal(expected, await File.ReadAllTextAsync(temp.Sub("out/x.csv")));
    }

    [Fact]
    public void Fingerprint_PadShortRows_DiffersSoAResumeRedoesTheFiles()
    {
        Assert.NotEqual(((IFileTransform)new CsvTransform()).Fingerprint, ((IFileTransform)new CsvTransform(new CsvTransformOptions { PadShortRows = true })).Fingerprint);
    }

    [Fact]
    public async Task Run_OrderingByANonNumberMeetsNumbers_TheOutcomeNamesTheCondition()
    {
        using var temp = new TempDir();
        temp.Write("in/numbers.csv", "item,price\npen,3\nbook,\"12\"\n");
        temp.Write("in/words.csv", "item,price\npen,cheap\n");

        var summary = await RunAsync(temp, new CsvTransformOptions { Where = ["price>abc", "item<zzz"] });

        var numbers = Assert.IsType<CsvFileOutcome>(summary.Results.Single(r => r.RelativePath == "numbers.csv").Artifact);
        var words = Assert.IsType<CsvFileOutcome>(summary.Results.Single(r => r.RelativePath == "words.csv").Artifact);
        Assert.Equal("price>abc", Assert.Single(numbers.NumbersComparedAsText).ToString());
        Assert.Empty(words.NumbersComparedAsText);
    }

    private static async Task<RunSummary> RunAsync(TempDir temp, CsvTransformOptions options, int chunkSize = 1024 * 1024) =>
        await DataflowRunner.RunAsync(new CsvTransform(options), new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")) { ChunkSize = chunkSize });

    private static byte[] Latin1IfMarked(string content) =>
        content.Contains('\xFF', StringComparison.Ordinal)
            ? [.. content.Split('\xFF').SelectMany((part, i) => i == 0 ? Encoding.UTF8.GetBytes(part) : [0xFF, .. Encoding.UTF8.GetBytes(part)])]
            : Encoding.UTF8.GetBytes(content);

    private static List<string[]> ReadBadRows(string path)
    {
        using var reader = new CsvHelper.CsvReader(new StreamReader(path), CultureInfo.InvariantCulture);
        var rows = new List<string[]>();
        reader.Read();
        reader.ReadHeader();
        while (reader.Read())
        {
            rows.Add([reader.GetField(0)!, reader.GetField(1)!, reader.GetField(2)!, reader.GetField(3)!]);
        }

        return rows;
    }
}
