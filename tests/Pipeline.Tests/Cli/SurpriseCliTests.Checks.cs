using Pipeline.Tests.Support;

namespace Pipeline.Tests.Cli;

/// <summary>verify against the wrong root; csv rows padded, dropped rows counted under -q, --where mistakes.</summary>
public sealed partial class SurpriseCliTests
{
    // ---------------------------------------------------------------- verify against the wrong root

    [Fact]
    public async Task Verify_EveryEntryMissing_PrintsOneHintNamingTheRootItLookedIn()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "alpha");
        temp.Write("in/sub/b.txt", "bravo");
        Directory.CreateDirectory(temp.Sub("elsewhere"));
        var hashed = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("sums"), "-q");
        Assert.True(hashed.ExitCode == 0, hashed.Error);

        var (exit, stdout, stderr) = await CliRun.InvokeAsync("verify", temp.Sub("sums/SHA256SUMS"), "--root", temp.Sub("elsewhere"), "-q");

        Assert.Equal(1, exit);
        Assert.Equal("MISSING  a.txt\nMISSING  sub/b.txt\n", stdout);
        Assert.Equal(
            $"hint: none of the manifest's 2 file(s) was found under {temp.Sub("elsewhere")}: check --root (the folder its paths are relative to; default: the manifest's folder)\n",
            stderr);
    }

    [Fact]
    public async Task Verify_SomeEntriesMissing_GivesNoRootHint()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "alpha");
        temp.Write("in/b.txt", "bravo");
        var hashed = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("sums"), "-q");
        Assert.True(hashed.ExitCode == 0, hashed.Error);
        File.Delete(temp.Sub("in/b.txt"));

        var (exit, stdout, stderr) = await CliRun.InvokeAsync("verify", temp.Sub("sums/SHA256SUMS"), "--root", temp.Sub("in"), "-q");

        Assert.Equal(1, exit);
        Assert.Equal("MISSING  b.txt\n", stdout);
        Assert.Equal(string.Empty, stderr);
    }

    // ---------------------------------------------------------------- csv: ragged rows, -q, --where

    /// <summary>The start of distro-info-data's debian.csv: rows leave out the trailing empty fields (eol-lts, eol-elts).</summary>
    private const string DebianCsv =
        "version,codename,series,created,release,eol,eol-lts,eol-elts\n"
        + "1.1,Buzz,buzz,1993-08-16,1996-06-17,1997-06-05\n"
        + "7,Wheezy,wheezy,2011-02-06,2013-05-04,2016-04-26,2018-05-31,2020-06-30\n"
        + "8,Jessie,jessie,2013-04-25,2015-04-25,2018-06-17,2020-06-30,\"2025-06-30\"\n"
        + "14,Forky,forky,2025-08-09\n";

    [Fact]
    public async Task RunCsv_AllowRagged_PadsShortRowsWithEmptyFields()
    {
        using var temp = new TempDir();
        temp.Write("in/debian.csv", DebianCsv + "1,2,3,4,5,6,7,8,9\n");

        var (exit, _, stderr) = await CliRun.InvokeAsync("run", "csv", temp.Sub("in"), "-o", temp.Sub("out"), "--allow-ragged", "--select", "codename,eol,eol-lts", "-q");

        Assert.Equal(0, exit);
        Assert.Equal("codename,eol,eol-lts\nBuzz,1997-06-05,\nWheezy,2016-04-26,2018-05-31\nJessie,2018-06-17,2020-06-30\nForky,,\n", await File.ReadAllTextAsync(temp.Sub("out/debian.csv")));
        Assert.Equal($"warning: 1 malformed row(s) in 1 file(s) left out of the output, listed in {temp.Sub("out/bad-rows.csv")}\n", stderr); // the row with too many fields
    }

    [Fact]
    public async Task RunCsv_AllowRaggedToJsonLinesWithWhere_PaddedFieldsAreEmpty()
    {
        using var temp = new TempDir();
        temp.Write("in/debian.csv", DebianCsv);

        var (exit, _, stderr) = await CliRun.InvokeAsync("run", "csv", temp.Sub("in"), "-o", temp.Sub("out"), "--allow-ragged", "--where", "eol-elts=", "--select", "codename,eol-elts", "--to", "jsonl", "-q");

        Assert.True(exit == 0, stderr);
        Assert.Equal("{\"codename\":\"Buzz\",\"eol-elts\":\"\"}\n{\"codename\":\"Forky\",\"eol-elts\":\"\"}\n", await File.ReadAllTextAsync(temp.Sub("out/debian.jsonl")));
    }

    [Fact]
    public async Task RunCsv_RaggedRowsWithoutTheOptionAndQuiet_SaysOnceHowManyRowsWereDropped()
    {
        using var temp = new TempDir();
        temp.Write("in/debian.csv", DebianCsv);
        temp.Write("in/other.csv", "a,b\n1\n2,3\n");

        var (exit, stdout, stderr) = await CliRun.InvokeAsync("run", "csv", temp.Sub("in"), "-o", temp.Sub("out"), "-q");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal($"warning: 3 malformed row(s) in 2 file(s) left out of the output, listed in {temp.Sub("out/bad-rows.csv")}\n", stderr);
        Assert.Equal("version,codename,series,created,release,eol,eol-lts,eol-elts\n7,Wheezy,wheezy,2011-02-06,2013-05-04,2016-04-26,2018-05-31,2020-06-30\n8,Jessie,jessie,2013-04-25,2015-04-25,2018-06-17,2020-06-30,2025-06-30\n", await File.ReadAllTextAsync(temp.Sub("out/debian.csv")));
    }

    [Fact]
    public async Task RunCsv_WhereOrdersANumericColumnByANonNumber_WarnsOnceNamingTheColumnAndTheValue()
    {
        using var temp = new TempDir();
        temp.Write("in/a.csv", "item,price\npen,3\nbook,12\n");
        temp.Write("in/b.csv", "item,price\nlamp,40\n\"desk\",\"100\"\n");

        var (exit, _, stderr) = await CliRun.InvokeAsync("run", "csv", temp.Sub("in"), "-o", temp.Sub("out"), "--where", "price>abc", "--where", "item>a", "--json");

        Assert.Equal(0, exit);
        Assert.Equal(["warning: --where 'price>abc': column 'price' holds numbers but 'abc' is not a number, so they were compared as text"], stderr.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("price >> 3", "'>>' is not an operator")]
    [InlineData("price==3", "'==' is not an operator (did you mean '='?)")]
    [InlineData("price <> 3", "'<>' is not an operator (did you mean '!='?)")]
    [InlineData("price=>3", "'=>' is not an operator (did you mean '>='?)")]
    public async Task RunCsv_WhereWithAMistypedOperator_ExitsTwoWithOneLineAndTouchesNothing(string expression, string reason)
    {
        using var temp = new TempDir();
        temp.Write("in/a.csv", "item,price\npen,3\n");

        var (exit, _, stderr) = await CliRun.InvokeAsync("run", "csv", temp.Sub("in"), "-o", temp.Sub("out"), "--where", expression);

        Assert.Equal(2, exit);
        Assert.Equal($"error: --where: '{expression}' is not a condition: {reason}; OP is one of = != > >= < <= ~\n", stderr);
        Assert.False(Directory.Exists(temp.Sub("out")));
    }
}
