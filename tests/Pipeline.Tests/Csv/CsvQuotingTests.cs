using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper.Configuration;
using Pipeline.Csv;
using Pipeline.Hashing;
using Pipeline.Reporting;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;
using Pipeline.Transforms;

namespace Pipeline.Tests.Csv;

/// <summary>Every CSV the tool writes reads back as exactly the rows and fields written, whatever they hold.</summary>
public sealed class CsvQuotingTests
{
    /// <summary>Every character that needs quoting, alone and inside text, and the cases that must stay as they are.</summary>
    private static readonly string[] Awkward =
    [
        "a\rb", "\r", "a\nb", "\n", "a\r\nb", "\r\n", "end\r", "\nstart", "a,b", ",", "a\tb", "\t", "a;b", "a|b",
        "say \"hi\"", "\"", "\"\"", "\"quoted\"", " lead", "trail ", "", "plain", "é 東京", "mixed,\"\r\n\t;|",
    ];

    [Theory]
    [InlineData(null)]
    [InlineData('\t')]
    [InlineData(';')]
    [InlineData('|')]
    public async Task Run_FieldsAndHeaderWithEveryAwkwardCharacter_OutputReadsBackExactly(char? outputDelimiter)
    {
        using var temp = new TempDir();
        string[] header = ["id", "cr\rname", "quo\"te", "com,ma", "tab\tname", "lf\nname"];
        var rows = Awkward.Select((v, i) => new[] { i.ToString(CultureInfo.InvariantCulture), v, v + v, "<" + v + ">", v + "x", "y" + v }).ToList();
        temp.Write("in/x.csv", QuoteEverything([header, .. rows]));

        var summary = await RunAsync(temp, new CsvTransformOptions { OutputDelimiter = outputDelimiter });

        Assert.Equal(1, summary.FilesSucceeded);
        var outcome = Assert.IsType<CsvFileOutcome>(Assert.Single(summary.Results).Artifact);
        Assert.Empty(outcome.BadRows);
        AssertReadsBack([header, .. rows], await File.ReadAllBytesAsync(temp.Sub("out/x.csv")), outputDelimiter ?? ',');
    }

    [Fact]
    public async Task Run_OneColumnWithEmptyValues_EmptyFieldIsQuotedSoTheRowIsNotABlankLine()
    {
        using var temp = new TempDir();
        temp.Write("in/x.csv", "id,v\n1,\n2,\"a\rb\"\n3,\n");

        await RunAsync(temp, new CsvTransformOptions { Select = ["v"] });

        var written = await File.ReadAllBytesAsync(temp.Sub("out/x.csv"));
        Assert.Equal("v\n\"\"\n\"a\rb\"\n\"\"\n", Encoding.UTF8.GetString(written));
        AssertReadsBack([["v"], [""], ["a\rb"], [""]], written, ',');
    }

    [Fact]
    public async Task Run_TheIssueExampleALoneCrInAQuotedField_IsWrittenQuoted()
    {
        using var temp = new TempDir();
        temp.Write("in/x.csv", "id,v\n1,\"a\rb\"\n");

        await RunAsync(temp, new CsvTransformOptions());

        Assert.Equal("id,v\n1,\"a\rb\"\n", await File.ReadAllTextAsync(temp.Sub("out/x.csv")));
    }

    [Fact]
    public void BadRowsFile_FileReasonAndRawWithEveryAwkwardCharacter_ReadsBackExactly()
    {
        var bad = Awkward.Select((v, i) => new BadRow("dir/" + v + ".csv", i + 1, "reason " + v, v + "," + v)).ToList();
        IFileTransform sut = new CsvTransform();

        var output = Assert.Single(sut.CreateAggregateOutputs([Succeeded("x.csv", new CsvFileOutcome(bad.Count, 0, bad))]));

        Assert.Equal(CsvTransform.BadRowsFileName, output.RelativePath);
        AssertReadsBack(
            [["file", "line", "reason", "raw"], .. bad.Select(b => new[] { b.File, b.Line.ToString(CultureInfo.InvariantCulture), b.Reason, b.Raw })],
            output.Content,
            ',');
    }

    [Fact]
    public async Task Run_BadRowsHoldingCrLfQuotesAndDelimiters_BadRowsCsvListsEachRawRowExactly()
    {
        using var temp = new TempDir();
        temp.Write("in/x.csv", "a,b\n1,\"x\ry\"\"z\",3\n2,\"p\nq\",\"r\r\ns\",4\n\"t\tu\",5,6\n7,8\n9,\"lone\rcr\"\n");

        var summary = await RunAsync(temp, new CsvTransformOptions());

        var outcome = Assert.IsType<CsvFileOutcome>(Assert.Single(summary.Results).Artifact);
        Assert.Equal(
            ["1,\"x\ry\"\"z\",3", "2,\"p\nq\",\"r\r\ns\",4", "\"t\tu\",5,6"],
            outcome.BadRows.Select(b => b.Raw));
        AssertReadsBack(
            [["file", "line", "reason", "raw"], .. outcome.BadRows.Select(b => new[] { "x.csv", b.Line.ToString(CultureInfo.InvariantCulture), b.Reason, b.Raw })],
            await File.ReadAllBytesAsync(temp.Sub("out/" + CsvTransform.BadRowsFileName)),
            ',');
        AssertReadsBack([["a", "b"], ["7", "8"], ["9", "lone\rcr"]], await File.ReadAllBytesAsync(temp.Sub("out/x.csv")), ',');
    }

    [Fact]
    public void HashesCsv_PathsWithEveryAwkwardCharacter_ReadBackExactly()
    {
        var digest = new byte[32];
        digest[0] = 0xAB;
        var results = Awkward.Select((v, i) => Succeeded("n" + i.ToString(CultureInfo.InvariantCulture) + v, digest, bytesIn: i)).ToList();
        IFileTransform sut = new HashTransform(format: HashManifestFormat.Csv);

        var output = Assert.Single(sut.CreateAggregateOutputs(results));

        Assert.Equal(HashTransform.CsvManifestName, output.RelativePath);
        var hex = Convert.ToHexStringLower(digest);
        AssertReadsBack(
            [["path", "size", "hash"], .. results.Select(r => new[] { r.RelativePath, r.BytesIn.ToString(CultureInfo.InvariantCulture), hex })],
            output.Content,
            ',');
    }

    [LinuxFact]
    public async Task Run_HashCsvOverFilesNamedWithCrLfCommaAndQuote_HashesCsvReadsBackExactly()
    {
        using var temp = new TempDir();
        string[] names = ["car\rriage.txt", "crlf\r\nname.txt", "com,ma.txt", "new\nline.txt", "plain.txt", "quo\"te.txt", "tab\tname.txt"];
        foreach (var name in names)
        {
            temp.Write("in/" + name, name);
        }

        var summary = await DataflowRunner.RunAsync(
            new HashTransform(format: HashManifestFormat.Csv),
            new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")));

        Assert.Equal(names.Length, summary.FilesSucceeded);
        var expected = names.Order(StringComparer.Ordinal)
            .Select(n => new[] { n, Encoding.UTF8.GetByteCount(n).ToString(CultureInfo.InvariantCulture), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(n))) });
        AssertReadsBack([["path", "size", "hash"], .. expected], await File.ReadAllBytesAsync(temp.Sub("out/" + HashTransform.CsvManifestName)), ',');
    }

    [Fact]
    public void Report_PathsAndErrorsWithEveryAwkwardCharacter_ReadBackExactly()
    {
        var results = Awkward.Select((v, i) => new FileResult("p" + i.ToString(CultureInfo.InvariantCulture) + v, FileStatus.Failed, i, 0, TimeSpan.FromMilliseconds(1.5), error: "error: " + v)).ToList();
        using var temp = new TempDir();
        using (var writer = RunReport.Open(temp.Sub("report.csv")))
        {
            results.ForEach(writer.Add);
            writer.Commit();
        }

        var report = File.ReadAllBytes(temp.Sub("report.csv"));

        AssertReadsBack(
            [
                ["path", "status", "bytes_in", "bytes_out", "milliseconds", "error"],
                .. results.Select(r => new[] { r.RelativePath, "failed", r.BytesIn.ToString(CultureInfo.InvariantCulture), "0", "1.5", r.Error! }),
            ],
            report,
            ',');
    }

    [Theory]
    [InlineData("plain", ',', false)]
    [InlineData("", ',', false)]
    [InlineData("a\tb", ',', false)]
    [InlineData("a;b", ',', false)]
    [InlineData("a\rb", ',', true)]
    [InlineData("a\nb", ',', true)]
    [InlineData("a\"b", ',', true)]
    [InlineData("a,b", ',', true)]
    [InlineData("a\tb", '\t', true)]
    [InlineData("a,b", '\t', false)]
    [InlineData("a|b", '|', true)]
    [InlineData(" a", ',', true)]
    [InlineData("a ", ',', true)]
    public void NeedsQuotes_Field_QuotesLineBreaksQuotesTheDelimiterAndEdgeSpaces(string field, char delimiter, bool expected)
    {
        Assert.Equal(expected, CsvFieldQuoting.NeedsQuotes(field, delimiter));
    }

    [Fact]
    public void NeedsQuotes_EmptyOnlyField_IsQuoted()
    {
        Assert.True(CsvFieldQuoting.NeedsQuotes("", ',', onlyField: true));
    }

    private static async Task<RunSummary> RunAsync(TempDir temp, CsvTransformOptions options) =>
        await DataflowRunner.RunAsync(new CsvTransform(options), new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")));

    private static FileResult Succeeded(string path, object artifact, long bytesIn = 0) =>
        new(path, FileStatus.Succeeded, bytesIn, 0, TimeSpan.Zero, artifact: artifact);

    /// <summary>A valid CSV input with every field quoted, built here without the code under test.</summary>
    private static string QuoteEverything(IEnumerable<string[]> rows) =>
        string.Concat(rows.Select(r => string.Join(',', r.Select(f => "\"" + f.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"")) + "\n"));

    /// <summary>Reads <paramref name="csv"/> with a strict RFC 4180 reader and with CsvHelper; both must give exactly <paramref name="expected"/>.</summary>
    private static void AssertReadsBack(IReadOnlyList<string[]> expected, ReadOnlyMemory<byte> csv, char delimiter)
    {
        var text = Encoding.UTF8.GetString(csv.Span);
        Assert.Equal(Render(expected), Render(Rfc4180Reader.Read(text, delimiter)));

        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter.ToString(),
            HasHeaderRecord = false,
            BadDataFound = args => throw new FormatException("bad data: " + args.RawRecord),
        };
        using var parser = new CsvHelper.CsvParser(new StringReader(text), config);
        var read = new List<string[]>();
        while (parser.Read())
        {
            read.Add(parser.Record!);
        }

        Assert.Equal(Render(expected), Render(read));
    }

    /// <summary>One line per record, each field as a JSON string, so a failure shows exactly which character moved.</summary>
    private static string Render(IEnumerable<string[]> rows) =>
        string.Join('\n', rows.Select(r => string.Join(" | ", r.Select(f => JsonSerializer.Serialize(f)))));
}
