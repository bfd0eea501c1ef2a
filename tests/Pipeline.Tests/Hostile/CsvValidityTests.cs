using System.Text;
using System.Text.Json;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Hostile;

/// <summary>
/// F. Every CSV we write is valid CSV: outputs, bad-rows.csv, hashes.csv and the --report read back with CsvHelper to
/// exactly what went in; a header that makes a column ambiguous fails that file rather than guessing.
/// </summary>
public sealed class CsvValidityTests
{
    [LinuxFact]
    public async Task Csv_QuotedFieldWithABareCarriageReturn_ReadsBackAsOneRowWithTheCr()
    {
        using var c = new HostileCase();
        c.Write("in/cr.csv", "id,v\n1,\"a\rb\"\n");

        var run = await c.RunAsync("run", "csv", c.In, "-o", c.Out);

        c.AssertOutcome(run, 0);
        var (header, rows) = CsvReadBack.Read(Path.Join(c.Out, "cr.csv"));
        Assert.Equal(["id", "v"], header);
        Assert.Equal("a\rb", Assert.Single(rows)[1]);
        var badRows = Path.Join(c.Out, "bad-rows.csv");
        Assert.True(!File.Exists(badRows) || CsvReadBack.Read(badRows).Rows.Count == 0, "a bad row was reported");
    }

    [LinuxFact]
    public async Task Csv_SelectOfADuplicatedColumn_FailsThatFileAsAmbiguous()
    {
        using var c = new HostileCase();
        c.Write("in/dup.csv", "id,v,v\n1,a,b\n");
        c.Write("in/ok.csv", "id,v\n1,a\n");

        var run = await c.RunAsync("run", "csv", c.In, "-o", c.Out, "--select", "v", "--json");

        c.AssertOutcome(run, 1, "ambiguous");
        run.AssertFailed("dup.csv", "ambiguous");
        Assert.Equal(["a"], CsvReadBack.Read(Path.Join(c.Out, "ok.csv")).Rows.Select(r => r[0]));
        Assert.False(File.Exists(Path.Join(c.Out, "dup.csv")));
    }

    [LinuxFact]
    public async Task CsvToJsonl_DuplicatedHeader_NoObjectWithDuplicateKeys()
    {
        using var c = new HostileCase();
        c.Write("in/dup.csv", "id,v,v\n1,a,b\n");

        var run = await c.RunAsync("run", "csv", c.In, "-o", c.Out, "--to", "jsonl", "--json");

        HostileCase.AssertExit(run, 0, 1);
        c.AssertUnharmed(run);
        if (run.ExitCode == 1)
        {
            var reason = run.FailureOf("dup.csv");
            Assert.True(reason.Contains("duplicate", StringComparison.OrdinalIgnoreCase) || reason.Contains("ambiguous", StringComparison.OrdinalIgnoreCase), reason);
        }
        else
        {
            foreach (var line in File.ReadAllLines(Path.Join(c.Out, "dup.jsonl")))
            {
                var keys = TopLevelKeys(line);
                Assert.True(keys.Count == keys.Distinct(StringComparer.Ordinal).Count(), $"duplicate keys in {line}");
            }
        }
    }

    [LinuxFact]
    public async Task Report_FileNameWithCommaQuoteAndNewline_ReadsBackExactly()
    {
        using var c = new HostileCase();
        const string name = "a,b\"c\nd.txt";
        c.Write("in/" + name, "odd");
        c.Write("in/plain.txt", "plain");
        var report = c.Sub("report.csv");

        var run = await c.RunAsync("run", "gzip", c.In, "-o", c.Out, "--report", report);

        c.AssertOutcome(run, 0);
        var (header, rows) = CsvReadBack.Read(report);
        Assert.Equal("path", header[0]);
        Assert.Equal([name, "plain.txt"], rows.Select(r => r[0]).Order(StringComparer.Ordinal));
    }

    [LinuxFact]
    public async Task HashCsv_FileNameWithCommaQuoteAndNewline_ReadsBackExactly()
    {
        using var c = new HostileCase();
        const string name = "x,y\"z\r\nw.txt";
        c.Write("in/" + name, "odd");

        var run = await c.RunAsync("run", "hash", c.In, "-o", c.Out, "--format", "csv");

        c.AssertOutcome(run, 0);
        var (header, rows) = CsvReadBack.Read(Path.Join(c.Out, "hashes.csv"));
        Assert.Equal(["path", "size", "hash"], header);
        Assert.Equal(name, Assert.Single(rows)[0]);
    }

    [LinuxFact]
    public async Task Csv_TabOutputDelimiterWithATabInAField_ReadsBackExactly()
    {
        using var c = new HostileCase();
        c.Write("in/t.csv", "id,v\n1,\"a\tb\"\n");

        var run = await c.RunAsync("run", "csv", c.In, "-o", c.Out, "--output-delimiter", "tab");

        c.AssertOutcome(run, 0);
        var (header, rows) = CsvReadBack.Read(Path.Join(c.Out, "t.csv"), "\t");
        Assert.Equal(["id", "v"], header);
        Assert.Equal("a\tb", Assert.Single(rows)[1]);
    }

    [LinuxFact]
    public async Task BadRows_RawRowWithQuoteAndAFileNameWithAComma_ReadsBackExactly()
    {
        using var c = new HostileCase();
        c.Write("in/b,1.csv", "id,v\n1,x\"y\n2,ok\n");

        var run = await c.RunAsync("run", "csv", c.In, "-o", c.Out);

        c.AssertOutcome(run, 0);
        var (_, rows) = CsvReadBack.Read(Path.Join(c.Out, "bad-rows.csv"));
        var row = Assert.Single(rows);
        Assert.Equal(("b,1.csv", "2"), (row[0], row[1]));
        Assert.Contains("x\"y", row[3], StringComparison.Ordinal);
    }

    private static List<string> TopLevelKeys(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        var keys = new List<string>();
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
            {
                keys.Add(reader.GetString()!);
            }
        }

        return keys;
    }
}
