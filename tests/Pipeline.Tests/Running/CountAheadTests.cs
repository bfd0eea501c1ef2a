using Pipeline.Hashing;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Running;

/// <summary><see cref="PipelineOptions.CountAhead"/>: the second walk that gives a progress display its total, made only when asked for.</summary>
public sealed class CountAheadTests
{
    private const int Files = 200;

    [Fact]
    public async Task RunAsync_SequentialWithProgressAndCountAheadOff_FirstReportHasOnlyTheWalksFiguresAndNoTotal()
    {
        // The sequential runner's walk is lazy, a file ahead of the work: without the count, the first file's report
        // can know of no more than a couple of files. A count ahead, on its own thread, would have counted all of them.
        using var temp = Tree();
        var progress = new RecordingProgress();

        var summary = await SequentialRunner.RunAsync(new HashTransform(), Options(temp).With(o => o.CountAhead = false), progress);

        Assert.Equal(Files, summary.FilesSucceeded);
        var first = progress.Reports.First(r => r.LastResult is not null);
        Assert.True(first.FilesFound < Files && !first.WalkCompleted, $"first report: {first.FilesFound} found, walk completed {first.WalkCompleted}");
        var last = progress.Reports[^1];
        Assert.Equal((Files, true, (long)Files), (last.FilesFound, last.WalkCompleted, last.FilesDone));
    }

    [Fact]
    public void CountAhead_Default_IsOn()
    {
        using var temp = new TempDir();

        Assert.True(Options(temp).CountAhead);
    }

    private static PipelineOptions Options(TempDir temp) => new(new FileSelection(temp.Sub("in")), temp.Sub("out"));

    private static TempDir Tree()
    {
        var temp = new TempDir();
        for (var i = 0; i < Files; i++)
        {
            temp.Write($"in/d{i % 10}/f{i:D3}.txt", $"file {i}");
        }

        return temp;
    }
}
