using System.Threading.Tasks.Dataflow;
using Pipeline.Reporting;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;

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

    [Fact]
    public async Task RunReport_ResultsOfTheBlock_WritesTheReportTheWholeRunWrites()
    {
        using var temp = new TempDir();
        temp.Write("in/b.bin", [1, 2, 3]);
        temp.Write("in/a/c.bin", [4]);
        temp.Write("in/a.bin", []);
        var run = await DataflowRunner.RunAsync(new XorTransform(), new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("run")) { Journal = false });
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("block"));
        var block = DataflowRunner.CreateBlock(new XorTransform(), options);
        var results = new List<FileResult>();
        var sink = new ActionBlock<FileResult>(results.Add);
        block.LinkTo(sink, new DataflowLinkOptions { PropagateCompletion = true });
        foreach (var file in GlobFileSource.Enumerate(options.EffectiveSelection))
        {
            await block.SendAsync(file);
        }

        block.Complete();
        await sink.Completion;

        WriteReport(temp.Sub("block.csv"), RunSummary.FromResults(results, TimeSpan.FromSeconds(1)).Results);
        WriteReport(temp.Sub("run.csv"), run.Results);

        Assert.Equal(WithoutTimes(temp.Sub("run.csv")), WithoutTimes(temp.Sub("block.csv")));
        Assert.Equal(4, WithoutTimes(temp.Sub("block.csv")).Length);
    }

    private static void WriteReport(string path, IEnumerable<FileResult> results)
    {
        using var report = RunReport.Open(path);
        foreach (var result in results)
        {
            report.Add(result);
        }

        report.Commit();
    }

    /// <summary>The report's lines without the milliseconds column, which differs from run to run.</summary>
    private static string[] WithoutTimes(string report) =>
        [.. File.ReadAllLines(report).Select(line => line.Split(',')).Select(f => string.Join(',', f[..4].Append(f[5])))];
}
