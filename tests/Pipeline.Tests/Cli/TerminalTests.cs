using System.Text.RegularExpressions;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Cli;

/// <summary>
/// The real <c>pipeline</c> in a real pseudo-terminal 80 columns wide (tmux): the progress line as a user sees it,
/// redrawn in place; what is left on the screen after Ctrl+C; help and summaries that fit the width.
/// </summary>
public sealed partial class TerminalTests
{
    private const int Columns = 80;

    private static readonly string Pipeline = Path.Join(AppContext.BaseDirectory, "pipeline");

    [NeedsDebianToolFact("tmux", "tmux")]
    public async Task Run_OnAnEightyColumnTerminal_ShowsTheTotalAndAnEtaEarlyOnOneLineThatFits()
    {
        using var temp = SlowTree(1000);
        await using var terminal = await TmuxTerminal.StartAsync(SlowRun(temp), Columns, 24, temp.Path);

        // The first screen with an ETA: the total is known (no "+") while most of the work is still to do. Before the
        // count ahead of the work, the walk ran just ahead of it, and the total (and the ETA) came at the very end.
        var screen = await terminal.WaitForAsync(s => s.Any(l => Eta().IsMatch(l)) || s.Any(l => l.StartsWith(TmuxTerminal.ExitMarker, StringComparison.Ordinal)), TimeSpan.FromMinutes(2), "an ETA");
        var line = Assert.Single(screen, l => Eta().IsMatch(l));
        var match = Eta().Match(line);
        Assert.Equal("1,000", match.Groups["total"].Value);
        Assert.True(int.Parse(match.Groups["done"].Value, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture) < 500, $"the ETA came only at: {line}");
        Assert.Matches(@"^\[[█░]+\]\s+\d+%\s", line); // the bar, then the percentage
        Assert.True(line.Length < Columns, $"{line.Length} columns: {line}");

        var (exit, last) = await terminal.WaitForExitAsync(TimeSpan.FromMinutes(3));
        Assert.Equal(0, exit);
        Assert.DoesNotContain(last, l => l.Contains(" files  ", StringComparison.Ordinal) || l.Contains("ETA", StringComparison.Ordinal)); // cleared at the end
        Assert.All(last, l => Assert.True(l.Length <= Columns, $"{l.Length} columns: {l}"));
        Assert.Contains(last, l => l.Contains("│ files ok", StringComparison.Ordinal) && l.Contains("1,000", StringComparison.Ordinal));
    }

    [NeedsDebianToolFact("tmux", "tmux")]
    public async Task Run_CtrlCOnATerminal_LeavesNoHalfProgressLineAboveWhatFollows()
    {
        using var temp = SlowTree(1000);
        await using var terminal = await TmuxTerminal.StartAsync(SlowRun(temp), Columns, 24, temp.Path);
        await terminal.WaitForAsync(s => s.Any(l => Eta().IsMatch(l)), TimeSpan.FromMinutes(2), "the progress line");

        await terminal.SendKeysAsync("C-c");
        var (exit, screen) = await terminal.WaitForExitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(130, exit);
        Assert.Contains(screen, l => l.StartsWith("error: cancelled:", StringComparison.Ordinal));
        Assert.DoesNotContain(screen, l => l.Contains("ETA", StringComparison.Ordinal) || l.Contains(" files  ", StringComparison.Ordinal) || l.Contains('█') || l.Contains('░'));
        var table = Array.FindIndex(screen, l => l.Contains("pipeline run exec", StringComparison.Ordinal));
        Assert.True(table >= 0, string.Join('\n', screen));
        Assert.All(screen[..table], l => Assert.Matches(@"^(\^C)?\s*$", l)); // above the summary: at most the ^C the terminal echoed, nothing half drawn
    }

    [NeedsDebianToolFact("tmux", "tmux")]
    public async Task Help_OnAnEightyColumnTerminal_EveryLineFitsAndNoWordIsSplit()
    {
        using var temp = new TempDir();
        await using var terminal = await TmuxTerminal.StartAsync($"{Pipeline} --help; {Pipeline} run csv --help", Columns, 200, temp.Path);

        var (exit, screen) = await terminal.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(0, exit);
        Assert.Contains(screen, l => l.StartsWith("  generate <kind> <dir>", StringComparison.Ordinal));
        Assert.Contains(screen, l => l.Contains("--select", StringComparison.Ordinal));
        Assert.All(screen, l => Assert.True(l.Length <= Columns, $"{l.Length} columns: {l}"));
    }

    /// <summary>Every command's and subcommand's help (each <c>run</c> and <c>compare</c> transform too), and <c>pipeline transforms</c>.</summary>
    public static TheoryData<string> EveryHelp()
    {
        var data = new TheoryData<string> { "transforms" };
        foreach (var command in HelpTextCliTests.Commands())
        {
            data.Add((command + " --help").TrimStart());
        }

        return data;
    }

    [NeedsDebianToolTheory("tmux", "tmux")]
    [MemberData(nameof(EveryHelp))]
    public async Task Help_EveryCommandOnAnEightyColumnTerminal_NoLineIsWider(string arguments)
    {
        // The real binary in a real terminal: the width comes from the terminal itself, not from a test's setting.
        using var temp = new TempDir();
        await using var terminal = await TmuxTerminal.StartAsync($"{Pipeline} {arguments}", Columns, 200, temp.Path);

        var (exit, screen) = await terminal.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(0, exit);
        Assert.True(screen.Length > 3, string.Join('\n', screen));
        Assert.All(screen, l => Assert.True(l.Length <= Columns, $"pipeline {arguments}: {l.Length} columns: {l}"));
        if (screen.Any(l => l.Contains("--report <file.csv>", StringComparison.Ordinal)))
        {
            // The report's columns are words the help can wrap between, not one 50-character token it has to cut.
            Assert.Contains(screen, l => l.Contains("error;", StringComparison.Ordinal));
            Assert.Contains(screen, l => l.Contains("milliseconds,", StringComparison.Ordinal) || l.Contains("moved_from,", StringComparison.Ordinal));
        }
    }

    /// <summary>Files whose processing takes a few milliseconds each, so the run lasts long enough to watch.</summary>
    private static TempDir SlowTree(int files)
    {
        var temp = new TempDir();
        for (var i = 0; i < files; i++)
        {
            temp.Write($"in/d{i % 20:D2}/f{i:D4}.txt", $"file {i}\n");
        }

        return temp;
    }

    private static string SlowRun(TempDir temp) =>
        $"trap : INT; {Pipeline} run exec {temp.Sub("in")} -o {temp.Sub("out")} -p 2 -- sh -c 'sleep 0.005; cat'";

    [GeneratedRegex(@"(?<done>[\d,]+)/(?<total>[\d,]+) files .*ETA \d")]
    private static partial Regex Eta();
}
