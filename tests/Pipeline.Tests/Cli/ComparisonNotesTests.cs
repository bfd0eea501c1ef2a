using Pipeline.Cli.Output;
using Pipeline.Cli.Comparing;

namespace Pipeline.Tests.Cli;

/// <summary>What the reader is told about a comparison's figures, from given rounds (no timing here).</summary>
public sealed class ComparisonNotesTests
{
    [Fact]
    public void For_SequentialFasterInEveryRound_SaysSoAndIsNotSuspect()
    {
        var sut = Result(sequential: [0.10, 0.11, 0.12], pipeline: [0.15, 0.16, 0.17]);

        var note = Assert.Single(ComparisonNotes.For(sut));

        Assert.Contains("the sequential run was faster in every round", note, StringComparison.Ordinal);
        Assert.Equal("0.69x (0.59-0.80)", Figures.Speedup(sut));
        Assert.False(sut.IsBeyondCores);
    }

    [Fact]
    public void For_LowestSpeedupAboveTheCoresWhileSequentialWaited_IsSuspectBlamingTheWaits()
    {
        var sut = Result(sequential: [1.0, 1.01, 1.02], pipeline: [0.30, 0.31, 0.33], sequentialCpu: 0.3, pipelineCpu: 0.3);

        var note = Assert.Single(ComparisonNotes.For(sut));

        Assert.True(sut.IsBeyondCores);
        Assert.StartsWith("suspect: efficiency 1.63 is above 1.0 beyond the rounds' spread (even the lowest speedup, 3.03x, is more than 2 cores can give)", note, StringComparison.Ordinal);
        Assert.Contains("on the CPU only 30% of its time", note, StringComparison.Ordinal);
    }

    [Fact]
    public void For_AboveTheCoresWithLessCpuInThePipeline_IsSuspectOfUnequalConditions()
    {
        var sut = Result(sequential: [1.0, 1.01, 1.02], pipeline: [0.30, 0.31, 0.32], sequentialCpu: 1.0, pipelineCpu: 0.5);

        var note = Assert.Single(ComparisonNotes.For(sut));

        Assert.Contains("suspect", note, StringComparison.Ordinal);
        Assert.Contains("the pipeline used less CPU time for the same work (500 ms against 1.00 s)", note, StringComparison.Ordinal);
    }

    [Fact]
    public void For_OneCoreAndThePipelineFasterBeyondTheSpread_IsSuspect()
    {
        // Figures like those of a quiet CI run of `compare hash -p 1` under `taskset -c 0` (1.10x, 1.05-1.22) on one core.
        var sut = Result(sequential: [0.0185, 0.0187, 0.0189, 0.0190, 0.0195], pipeline: [0.0160, 0.0168, 0.0170, 0.0172, 0.0176], sequentialCpu: 0.018, pipelineCpu: 0.017, cores: 1);

        var note = Assert.Single(ComparisonNotes.For(sut));

        Assert.True(sut.IsBeyondCores);
        Assert.False(sut.IsTooShortToTime);
        Assert.StartsWith("suspect: efficiency 1.11 is above 1.0 beyond the rounds' spread (even the lowest speedup, 1.05x, is more than 1 cores can give)", note, StringComparison.Ordinal);
    }

    [Fact]
    public void For_OneCoreAndAnIntervalHoldingOne_SaysNoDifference()
    {
        var sut = Result(sequential: [0.0185, 0.0190, 0.0195], pipeline: [0.0180, 0.0188, 0.0200], cores: 1);

        var note = Assert.Single(ComparisonNotes.For(sut));

        Assert.False(sut.IsBeyondCores);
        Assert.Contains("no difference beyond the rounds' spread", note, StringComparison.Ordinal);
    }

    [Fact]
    public void For_AboveTheCoresOnlyInsideTheSpread_IsNotSuspect()
    {
        var sut = Result(sequential: [0.9, 1.0, 1.3], pipeline: [0.40, 0.45, 0.50], sequentialCpu: 1.0, pipelineCpu: 1.0);

        Assert.True(sut.Efficiency > 1);
        Assert.False(sut.IsBeyondCores);
        Assert.DoesNotContain(ComparisonNotes.For(sut), n => n.Contains("suspect", StringComparison.Ordinal));
    }

    [Fact]
    public void For_RoundsOfAMillisecond_SaysTooSmallToTimeAndPointsToBench()
    {
        var sut = Result(sequential: [0.0012, 0.0013, 0.0016], pipeline: [0.0011, 0.0014, 0.0015]);

        var note = Assert.Single(ComparisonNotes.For(sut));

        Assert.StartsWith("too small to time: a round took 1.30 ms (sequential) and 1.40 ms (pipeline)", note, StringComparison.Ordinal);
        Assert.Contains("`pipeline bench`", note, StringComparison.Ordinal);
    }

    [Fact]
    public void For_OtherProcessesKeptMostOfACoreBusy_SaysTheSpeedupUnderstatesThePipeline()
    {
        // The figures of `compare hash` beside one busy loop: the pipeline's rounds suffer more than the sequential's.
        var sut = Result(sequential: [1.0, 1.01, 1.02], pipeline: [0.90, 0.98, 1.05]) with
        {
            Sequential = Mode([1.0, 1.01, 1.02], 0.1) with { OtherCoresBusy = 0.85 },
            Pipeline = Mode([0.90, 0.98, 1.05], 0.1) with { OtherCoresBusy = 0.95 },
        };

        var notes = ComparisonNotes.For(sut);

        Assert.True(sut.IsSlowedByOtherWork);
        Assert.Equal(0.9, sut.OtherCoresBusy!.Value, 2);
        Assert.Equal(2, notes.Count); // the interval holds 1.0, and why
        Assert.StartsWith("other processes kept about 0.9 of 2 cores busy during the rounds: this speedup understates the pipeline", notes[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.1, 2, false)]
    [InlineData(0.3, 2, true)]
    [InlineData(0.3, 8, false)] // a tenth of the cores at least
    [InlineData(1.0, 8, true)]
    public void IsSlowedByOtherWork_ByOthersShareOfTheCores(double others, int cores, bool expected)
    {
        var sut = Result(sequential: [1.0, 1.0, 1.0], pipeline: [0.5, 0.5, 0.5], cores: cores) with
        {
            Sequential = Mode([1.0, 1.0, 1.0], 0.1) with { OtherCoresBusy = others },
            Pipeline = Mode([0.5, 0.5, 0.5], 0.1) with { OtherCoresBusy = others },
        };

        Assert.Equal(expected, sut.IsSlowedByOtherWork);
        Assert.Equal(expected, ComparisonNotes.For(sut).Any(n => n.StartsWith("other processes kept about", StringComparison.Ordinal)));
    }

    [Fact]
    public void For_OtherWorkNotMeasurable_SaysNothingOfIt()
    {
        var sut = Result(sequential: [1.0, 1.0, 1.0], pipeline: [0.5, 0.5, 0.5]);

        Assert.Null(sut.OtherCoresBusy);
        Assert.False(sut.IsSlowedByOtherWork);
        Assert.Empty(ComparisonNotes.For(sut));
    }

    [Theory]
    [InlineData(0.245, 0.240, 0.262, "245 ms (240-262)")]
    [InlineData(1.5, 1.25, 2.0, "1.50 s (1.25-2.00)")]
    [InlineData(0.00341, 0.003, 0.004, "3.41 ms (3.00-4.00)")]
    [InlineData(0.9997, 0.792, 1.449, "1.00 s (0.792-1.45)")]
    public void SecondsWithSpread_PicksOneUnitForMedianAndRange(double median, double min, double max, string expected) =>
        Assert.Equal(expected, Figures.SecondsWithSpread(new ModeMeasurement([min, median, max], median, 0, 0, 0, 0)));

    private static ComparisonResult Result(double[] sequential, double[] pipeline, double sequentialCpu = 0.1, double pipelineCpu = 0.1, int cores = 2) =>
        new("hash", 100, 100_000_000, 0, cores, Mode(sequential, sequentialCpu), Mode(pipeline, pipelineCpu), true, null);

    private static ModeMeasurement Mode(double[] rounds, double cpu)
    {
        var median = rounds.Order().ElementAt(rounds.Length / 2);
        return new ModeMeasurement(rounds, median, 100 / median, 100 / median, cpu, 0);
    }
}
