using System.CommandLine;
using System.Text.RegularExpressions;
using Pipeline.Cli;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Cli;

/// <summary>What <c>pipeline transforms</c>, every <c>--help</c> and a quiet dry run print.</summary>
public sealed partial class HelpTextCliTests
{
    public static TheoryData<string> Commands()
    {
        var data = new TheoryData<string> { string.Empty };
        var root = new CliApp(new CliConsole(TextWriter.Null, TextWriter.Null)).CreateRootCommand();
        foreach (var command in root.Subcommands)
        {
            data.Add(command.Name);
            foreach (var sub in command.Subcommands)
            {
                data.Add(command.Name + " " + sub.Name);
            }
        }

        return data;
    }

    [Fact]
    public async Task Transforms_Flags_ShowNoValuePlaceholder()
    {
        var (exit, stdout, _) = await CliRun.InvokeAsync("transforms");

        Assert.Equal(0, exit);
        Assert.Contains("\n    --no-header  The first row is data", stdout, StringComparison.Ordinal);
        Assert.Contains("\n    --infer-types  JSON Lines:", stdout, StringComparison.Ordinal);
        Assert.Contains("\n    --level, -l <n>  Compression level", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("<>", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_EveryOption_StatesItsDefaultAtMostOnce(string command)
    {
        var (exit, stdout, stderr) = await CliRun.InvokeAsync([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);

        Assert.Equal((0, string.Empty), (exit, stderr));
        Assert.Contains("Usage:", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("[default:", stdout, StringComparison.Ordinal);
        foreach (var line in stdout.Split('\n'))
        {
            Assert.True(DefaultWord().Count(line) <= 1, $"default stated twice: {line}");
        }
    }

    [Fact]
    public async Task RunHelp_MaxErrors_SaysNoLimitAndNothingElse()
    {
        var (_, stdout, _) = await CliRun.InvokeAsync("run", "hash", "--help");

        var line = Assert.Single(stdout.Split('\n'), l => l.Contains("--max-errors", StringComparison.Ordinal));
        Assert.EndsWith("Stop taking files after this many failed (default: no limit)", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunDryRun_Quiet_PrintsOnlyTheSummaryLine()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        temp.Write("in/sub/b.txt", "b");

        var loud = await CliRun.InvokeAsync("run", "gzip", temp.Sub("in"), "-o", temp.Sub("out"), "--dry-run");
        var (exit, stdout, stderr) = await CliRun.InvokeAsync("run", "gzip", temp.Sub("in"), "-o", temp.Sub("out"), "--dry-run", "--quiet");

        var summary = $"dry run: 2 to process, 0 to skip, into {temp.Sub("out")}; nothing was touched\n";
        Assert.Equal((0, summary, string.Empty), (exit, stdout, stderr));
        Assert.StartsWith("process  a.txt -> a.txt.gz\n", loud.Out, StringComparison.Ordinal);
        Assert.EndsWith(summary, loud.Out, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Sub("out")));
    }

    [GeneratedRegex("default", RegexOptions.IgnoreCase)]
    private static partial Regex DefaultWord();
}
