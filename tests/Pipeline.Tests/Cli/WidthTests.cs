using System.Text;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Cli;

/// <summary>
/// Tables and help fitted to the terminal's width (80 and 120 columns): no line wider, no number split across lines,
/// no header cut to an ellipsis. A table too wide for the terminal is turned a quarter, one figure a line.
/// </summary>
public sealed class WidthTests
{
    public static TheoryData<string> Commands() => HelpTextCliTests.Commands();

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public async Task RunCsvSummary_AtWidth_FitsWithEveryNumberAndHeaderWhole(int width)
    {
        using var temp = new TempDir();
        var csv = new StringBuilder("id,name,price\n");
        for (var i = 0; i < 100_081; i++)
        {
            csv.Append(i).Append(",item ").Append(i).Append(',').Append(i % 100).Append('\n');
        }

        temp.Write("in/items.csv", csv.ToString());

        var (exit, stdout, stderr) = await CliRun.InvokeAtWidthAsync(width, "run", "csv", temp.Sub("in"), "-o", temp.Sub("out"));

        Assert.True(exit == 0, stderr);
        AssertFits(stdout, width);
        Assert.Contains("100,081", stdout, StringComparison.Ordinal); // the rows, on one line
        foreach (var header in (string[])["files ok", "failed", "skipped", "cancelled", "MB in", "MB out", "seconds", "files/s", "MB/s"])
        {
            Assert.Contains(header, stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_At80Columns_EveryLineFits(string command)
    {
        var (exit, stdout, stderr) = await CliRun.InvokeAtWidthAsync(80, [.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);

        Assert.Equal((0, string.Empty), (exit, stderr));
        AssertFits(stdout, 80);
    }

    [Fact]
    public async Task Help_At120Columns_FitsAndGenerateKindIsOneWord()
    {
        var (exit, stdout, _) = await CliRun.InvokeAtWidthAsync(120, "--help");

        Assert.Equal(0, exit);
        AssertFits(stdout, 120);
        Assert.Contains("  generate <kind> <dir>", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public async Task VerifySummary_AtWidth_Fits(int width)
    {
        using var temp = new TempDir();
        temp.Write("tree/a.txt", "a\n");
        temp.Write("tree/b.txt", "b\n");
        Assert.Equal(0, (await CliRun.InvokeAsync("run", "hash", temp.Sub("tree"), "-o", temp.Sub("sums"))).ExitCode);

        var (exit, stdout, stderr) = await CliRun.InvokeAtWidthAsync(width, "verify", Path.Join(temp.Sub("sums"), "SHA256SUMS"), "--root", temp.Sub("tree"));

        Assert.True(exit == 0, stderr);
        AssertFits(stdout, width);
        Assert.Contains("unreadable", stdout, StringComparison.Ordinal);
        Assert.Contains("bad lines", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public async Task CompareTable_AtWidth_FitsWithOthersCoresColumn(int width)
    {
        using var temp = new TempDir();
        for (var i = 0; i < 20; i++)
        {
            temp.Write($"in/f{i:D2}.txt", $"file {i}\n");
        }

        var (exit, stdout, stderr) = await CliRun.InvokeAtWidthAsync(width, "compare", "hash", temp.Sub("in"), "--rounds", "1");

        Assert.True(exit == 0, stderr);
        Assert.Contains("others' cores", stdout, StringComparison.Ordinal);
        Assert.Contains("peak WS MB", stdout, StringComparison.Ordinal);

        // The table and the notes after it, wrapped at spaces.
        AssertFits(stdout, width);
        Assert.Contains("speedup ", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public async Task Transforms_AtWidth_WrapsDescriptionsUnderThemselves(int width)
    {
        var (exit, stdout, _) = await CliRun.InvokeAtWidthAsync(width, "transforms");

        Assert.Equal(0, exit);
        AssertFits(stdout, width);
        Assert.StartsWith("hash  Digest of each file", stdout, StringComparison.Ordinal);
        Assert.Contains("\n    --no-header  The first row is data", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrap_LongLine_BreaksAtSpacesKeepsDoubleSpacesAndIndents()
    {
        var sut = Pipeline.Cli.CliConsole.Wrap("    --level, -l <n>  Compression level, 1 (fastest) to 19 (smallest), as the zstd command's (default: 3)", 40, indent: 8).ToList();

        Assert.Equal(
            [
                "    --level, -l <n>  Compression level,",
                "        1 (fastest) to 19 (smallest), as",
                "        the zstd command's (default: 3)",
            ],
            sut);
    }

    private static void AssertFits(string text, int width)
    {
        foreach (var line in text.Split('\n'))
        {
            Assert.True(line.TrimEnd('\r').Length <= width, $"{line.Length} columns at {width}: {line}\n{text}");
            Assert.DoesNotContain('…', line);
        }
    }
}
