using System.Threading.Tasks.Dataflow;
using Pipeline.IO;
using Pipeline.Reporting;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Reporting;

public sealed class RunReportTests
{
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

    [Fact]
    public void Add_ManyRows_WritesThemOutBeforeCommitToATemporaryFileOnly()
    {
        using var temp = new TempDir();
        var path = temp.Sub("reports/run.csv");
        var rows = Enumerable.Range(0, 5_000).Select(i => new FileResult($"dir/file-{i:D5}.txt", FileStatus.Succeeded, i, i / 2, TimeSpan.FromMilliseconds(1))).ToList();

        using (var report = RunReport.Open(path))
        {
            rows.ForEach(report.Add);

            // More than the 64 KiB it holds: rows already went out, to the temporary file beside the target only.
            Assert.False(File.Exists(path));
            var pending = Assert.Single(Directory.GetFiles(temp.Sub("reports"), "*" + AtomicFileWriter.TempSuffix));
            Assert.True(new FileInfo(pending).Length > 64 * 1024);
            report.Commit();
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal(RunReport.Header, lines[0]);
        Assert.Equal(rows.Select(r => r.RelativePath), lines.Skip(1).Select(l => l.Split(',')[0]));
        Assert.Empty(Directory.GetFiles(temp.Sub("reports"), "*" + AtomicFileWriter.TempSuffix));
    }

    [Fact]
    public void Dispose_WithoutCommit_LeavesNeitherTheReportNorItsTemporaryFile()
    {
        using var temp = new TempDir();
        var path = temp.Sub("run.csv");
        File.WriteAllText(path, "the previous report\n");

        using (var report = RunReport.Open(path))
        {
            for (var i = 0; i < 5_000; i++)
            {
                report.Add(new FileResult($"f{i}", FileStatus.Failed, 1, 0, TimeSpan.Zero, "broken"));
            }
        }

        Assert.Equal("the previous report\n", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void Add_AfterCommit_Throws()
    {
        using var temp = new TempDir();
        using var report = RunReport.Open(temp.Sub("run.csv"));
        report.Commit();

        Assert.Throws<ObjectDisposedException>(() => report.Add(new FileResult("late", FileStatus.Succeeded, 0, 0, TimeSpan.Zero)));
        Assert.Equal(RunReport.Header + "\n", File.ReadAllText(temp.Sub("run.csv")));
    }
}
