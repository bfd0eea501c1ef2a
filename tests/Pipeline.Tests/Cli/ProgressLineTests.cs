using Pipeline.Cli.Output;
using Pipeline.Running;

namespace Pipeline.Tests.Cli;

/// <summary>The progress line's layout at the widths people's terminals have, from given figures (no terminal, no timing).</summary>
public sealed class ProgressLineTests
{
    /// <summary>A gzip of 60,000 files a third of the way through, 3 failed.</summary>
    private static readonly ProgressFigures Midway = new(
        FilesDone: 25_301,
        FilesTotal: 60_000,
        BytesDone: 116_700_000,
        BytesTotal: 276_800_000,
        TotalKnown: true,
        FilesPerSecond: 3_012.4,
        BytesPerSecond: 13_800_000,
        Eta: TimeSpan.FromSeconds(11.6),
        Failed: 3);

    [Fact]
    public void Format_At120Columns_ShowsEverythingWithAWideBar()
    {
        var sut = ProgressLine.Format(Midway, 120);

        Assert.True(sut.Length <= 119, $"{sut.Length}: {sut}");
        Assert.Matches(@"^\[█{11}░{17}\]  42%  25,301/60,000 files  117/277 MB  13\.8 MB/s  3,012 files/s  ETA 12s  3 failed$", sut);
    }

    [Fact]
    public void Format_At80Columns_KeepsBarTotalsRateAndEtaAndLeavesOutFilesPerSecond()
    {
        var sut = ProgressLine.Format(Midway, 80);

        Assert.True(sut.Length <= 79, $"{sut.Length}: {sut}");
        Assert.Matches(@"^\[█+░+\]  42%  25,301/60,000 files  117/277 MB  13\.8 MB/s  ETA 12s  3 failed$", sut);
    }

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    [InlineData(60)]
    [InlineData(40)]
    public void Format_AnyWidth_FitsLessOneColumnAndKeepsNumbersWhole(int width)
    {
        var sut = ProgressLine.Format(Midway, width);

        Assert.True(sut.Length <= width - 1, $"{sut.Length}: {sut}");
        Assert.Contains("25,301/60,000 files", sut, StringComparison.Ordinal);
        Assert.Contains("ETA 12s", sut, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_TotalStillBeingCounted_ShowsFoundSoFarWithAPlusAndNoBarOrEta()
    {
        var sut = ProgressLine.Format(Midway with { TotalKnown = false, FilesTotal = 30_000, BytesTotal = 140_000_000, Eta = null }, 80);

        Assert.Equal("25,301/30,000+ files  117/140 MB+  13.8 MB/s  3,012 files/s  ETA --  3 failed", sut);
    }

    [Fact]
    public void Format_NothingDoneYet_SaysZeroBytesPlainly()
    {
        var sut = ProgressLine.Format(new ProgressFigures(0, 0, 0, 0, false, 0, 0, null, 0), 80);

        Assert.Equal("0/0+ files  0/0 B+  0 B/s  0 files/s  ETA --", sut);
    }

    [Theory]
    [InlineData(0.2, "1s")]
    [InlineData(42, "42s")]
    [InlineData(185, "3:05")]
    [InlineData(3723, "1:02:03")]
    public void Duration_ByLength(double seconds, string expected) =>
        Assert.Equal(expected, ProgressLine.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void LastError_LongerThanTheWidth_IsCutWithAnEllipsis()
    {
        var sut = ProgressLine.LastError("deep/folder/" + new string('x', 200) + ".csv: permission denied", 80);

        Assert.Equal(79, sut.Length);
        Assert.StartsWith("last error: deep/folder/xxx", sut, StringComparison.Ordinal);
        Assert.EndsWith("…", sut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Display_DrawsOneLineInPlaceAndErasesItAtTheEnd()
    {
        using var terminal = new StringWriter();
        var sut = new ProgressDisplay(terminal, () => 80, unicode: true);
        sut.Report(new RunProgress(10, true, 5, 0, 50, TimeSpan.FromSeconds(1), null, 100, 50));
        var run = new TaskCompletionSource<int>();

        var showing = sut.ShowWhileAsync(() => run.Task); // drawn once before it waits
        var drawn = terminal.ToString();
        run.SetResult(42);
        var result = await showing;

        Assert.Equal(42, result);
        Assert.Equal("\r[████████████░░░░░░░░░░░░]  50%  5/10 files  50/100 B  0 B/s  0 files/s  ETA --\u001b[K\r", drawn); // the cursor left at the start of the line
        Assert.Equal(drawn + "\r\u001b[K\r", terminal.ToString()); // and the line erased at the end
    }
}
