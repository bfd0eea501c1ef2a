using Pipeline.Cli.Commands;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Cli;

/// <summary>Names typed wrong: the nearest command, transform or option suggested; enumerated values in any case.</summary>
public sealed partial class SurpriseCliTests
{
    // ---------------------------------------------------------------- unknown transform or command

    [Theory]
    [InlineData("run hahs d -o x", "error: unknown transform 'hahs': did you mean 'hash'?")]
    [InlineData("compare gzpi d", "error: unknown transform 'gzpi': did you mean 'gzip'?")]
    [InlineData("run HASH d -o x", "error: unknown transform 'HASH': did you mean 'hash'?")]
    [InlineData("rn", "error: unknown command 'rn': did you mean 'pipeline run'?")]
    [InlineData("verfy SHA256SUMS", "error: unknown command 'verfy': did you mean 'pipeline verify'?")]
    [InlineData("hash d -o x", "error: unknown command 'hash': did you mean 'pipeline run hash'?")]
    [InlineData("run frobnicate d -o x", "error: unknown transform 'frobnicate': choose from hash, csv, gzip, gunzip, zstd, unzstd, exec, verify (see 'pipeline run --help')")]
    [InlineData("frobnicate", "error: unknown command 'frobnicate': choose from run, compare, verify, merge, list, transforms, bench, generate (see 'pipeline --help')")]
    [InlineData("run hash d -o x --algoritm sha1", "error: unknown option '--algoritm': did you mean '--algorithm'?")]
    [InlineData("run gzip d -o x --lvel 3", "error: unknown option '--lvel': did you mean '--level'?")]
    [InlineData("list d --follow-symlink", "error: unknown option '--follow-symlink': did you mean '--follow-symlinks'?")]
    [InlineData("run hash d -o x --zzzzzz 3", "error: unrecognized argument(s): '--zzzzzz' '3' (see 'pipeline run hash --help')")]
    public async Task Invoke_UnknownTransformOrCommand_OneLineWithTheNearestNameAndExitTwo(string arguments, string expected)
    {
        using var temp = new TempDir();

        var (exit, stdout, stderr) = await CliRun.InvokeAsync(arguments.Split(' ').Select(a => a is "d" or "x" ? temp.Sub(a) : a).ToArray());

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal(expected + "\n", stderr);
        Assert.False(Directory.Exists(temp.Sub("x")));
    }

    [Theory]
    [InlineData("hahs", "hash", 1)]
    [InlineData("rn", "run", 1)]
    [InlineData("hash", "hash", 0)]
    [InlineData("gzip", "gunzip", 2)]
    [InlineData("trnasforms", "transforms", 1)]
    [InlineData("abc", "xyz", 3)]
    public void Distance_TwoNames_CountsInsertionsDeletionsReplacementsAndSwaps(string a, string b, int expected)
    {
        Assert.Equal(expected, CommandSuggestions.Distance(a, b));
    }

    [Fact]
    public void Nearest_NothingClose_SuggestsNothing()
    {
        Assert.Null(CommandSuggestions.Nearest("zz", [("run", "pipeline run"), ("list", "pipeline list")]));
        Assert.Equal("pipeline list", CommandSuggestions.Nearest("lst", [("run", "pipeline run"), ("list", "pipeline list")]));
    }

    // ---------------------------------------------------------------- enumerated values in any case

    [Theory]
    [InlineData("--algorithm", "SHA256", "SHA256SUMS")]
    [InlineData("-a", "Blake3", "B3SUMS")]
    [InlineData("--algorithm", "XXH128", "XXH128SUMS")]
    [InlineData("--format", "CSV", "hashes.csv")]
    public async Task RunHash_EnumeratedValueInAnyCase_IsTakenAndTheOutputKeepsItsCanonicalName(string option, string value, string output)
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "alpha");

        var (exit, _, stderr) = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), option, value, "-q");

        Assert.True(exit == 0, stderr);
        Assert.Equal([output], Directory.GetFiles(temp.Sub("out")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task RunCsvAndVerify_EnumeratedValuesInCapitals_AreTaken()
    {
        using var temp = new TempDir();
        temp.Write("in/a.csv", "a\tb\n1\t2\n");
        temp.Write("in/b.csv", "a\tb\n1\n");

        var csv = await CliRun.InvokeAsync("run", "csv", temp.Sub("in"), "-o", temp.Sub("out"), "--to", "JSONL", "--bad-rows", "Fail", "--delimiter", "TAB", "-q");
        var hashed = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("sums"), "-q");
        var verified = await CliRun.InvokeAsync("verify", temp.Sub("sums/SHA256SUMS"), "--root", temp.Sub("in"), "--algorithm", "Sha256", "-q");

        Assert.Equal(1, csv.ExitCode); // b.csv fails at its bad row: --bad-rows Fail was taken as fail
        Assert.Equal("{\"a\":\"1\",\"b\":\"2\"}\n", await File.ReadAllTextAsync(temp.Sub("out/a.jsonl")));
        Assert.Contains("b.csv: line 2: 1 fields, expected 2", csv.Error, StringComparison.Ordinal);
        Assert.True(verified.ExitCode == 0, hashed.Error + verified.Error);
    }

    [Fact]
    public async Task Run_EnumeratedValueNotInTheList_IsStillRefusedNamingTheChoices()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "alpha");

        var (exit, _, stderr) = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "--algorithm", "SHA3");

        Assert.Equal(2, exit);
        Assert.StartsWith("error: --algorithm: 'SHA3' is not one of sha1, sha256", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Sub("out")));
    }
}
