using Pipeline.Running;

namespace Pipeline.Tests.Running;

public sealed class RunSummaryTests
{
    [Fact]
    public void FromResults_UnsortedMixedResults_SortsByPathAndCountsEachStatus()
    {
        FileResult[] results =
        [
            new("b", FileStatus.Failed, 5, 0, TimeSpan.Zero, "broken"),
            new("a/z", FileStatus.Succeeded, 10, 3, TimeSpan.Zero),
            new("C", FileStatus.Skipped, 0, 0, TimeSpan.Zero),
            new("a", FileStatus.Succeeded, 7, 2, TimeSpan.Zero),
            new("d", FileStatus.Cancelled, 0, 0, TimeSpan.Zero),
        ];

        var sut = RunSummary.FromResults(results, TimeSpan.FromSeconds(2), cancelled: true);

        Assert.Equal(["C", "a", "a/z", "b", "d"], sut.Results.Select(r => r.RelativePath));
        Assert.Equal((2, 1, 1, 1), (sut.FilesSucceeded, sut.FilesFailed, sut.FilesSkipped, sut.FilesCancelled));
        Assert.Equal((17L, 5L), (sut.BytesIn, sut.BytesOut));
        Assert.Equal((TimeSpan.FromSeconds(2), true), (sut.Elapsed, sut.Cancelled));
        Assert.Equal(1.0, sut.FilesPerSecond);
    }

    [Fact]
    public void FromResults_CallerChangesItsListAfterwards_SummaryKeepsWhatItWasGiven()
    {
        var results = new List<FileResult> { new("a", FileStatus.Succeeded, 1, 1, TimeSpan.Zero) };

        var sut = RunSummary.FromResults(results, TimeSpan.Zero);
        results.Add(new("b", FileStatus.Failed, 1, 0, TimeSpan.Zero, "x"));

        Assert.Equal(["a"], sut.Results.Select(r => r.RelativePath));
    }

    [Fact]
    public void FromResults_BadArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => RunSummary.FromResults(null!, TimeSpan.Zero));
        Assert.Throws<ArgumentNullException>(() => RunSummary.FromResults([null!], TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => RunSummary.FromResults([], TimeSpan.FromTicks(-1)));
    }
}
