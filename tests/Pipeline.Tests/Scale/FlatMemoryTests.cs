using System.Security.Cryptography;
using System.Text;
using Pipeline.Hashing;
using Pipeline.Running;
using Pipeline.Running.Engine;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Scale;

/// <summary>
/// Nothing in a run grows with the number of files: results are put back in ordinal order as they finish, aggregate
/// outputs are written a batch at a time as they flow, and the summary keeps counts and the first failures.
/// </summary>
public sealed class FlatMemoryTests
{
    public static TheoryData<bool> Runners() => [false, true];

    private static Task<RunSummary> RunAsync(bool sequential, Pipeline.Transforms.IFileTransform transform, PipelineOptions options, CancellationToken cancellationToken = default) =>
        (sequential ? SequentialRunner.RunAsync(transform, options, null, cancellationToken) : DataflowRunner.RunAsync(transform, options, null, cancellationToken))
            .WaitAsync(TimeSpan.FromSeconds(120), CancellationToken.None);

    /// <summary>More files than three batches of the aggregate stream, in nested folders, with names that sort around '/'.</summary>
    private static List<string> MakeTree(TempDir temp, int count)
    {
        var names = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var name = (i % 3) switch
            {
                0 => $"d{i % 7}/f{i:D5}.txt",
                1 => $"d{i % 7}-x/f{i:D5}.txt",
                _ => $"f{i:D5}.txt",
            };
            temp.Write("in/" + name, $"content {i}\n");
            names.Add(name);
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    [Theory]
    [MemberData(nameof(Runners))]
    public async Task Run_WithoutKeepingResults_ManifestIsExactAndResultsComeInOrder(bool sequential)
    {
        using var temp = new TempDir();
        var names = MakeTree(temp, 3500);
        var seen = new List<string>();
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out"))
        {
            KeepResults = false,
            Results = new SynchronousProgress<FileResult>(r => seen.Add(r.RelativePath)),
        };

        var summary = await RunAsync(sequential, new HashTransform(), options);

        var expected = string.Concat(names.Select(n => $"{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(temp.Sub("in/" + n))))}  {n}\n"));
        Assert.Equal(expected, File.ReadAllText(temp.Sub("out/SHA256SUMS")));
        Assert.Equal(names, seen);
        Assert.Empty(summary.Results);
        Assert.Equal(3500, summary.FilesSucceeded);
        Assert.Empty(Directory.GetFiles(temp.Sub("out"), "*.tmp", SearchOption.AllDirectories));
    }

    [Theory]
    [MemberData(nameof(Runners))]
    public async Task Run_ManyFailures_SummaryCountsAllAndKeepsTheFirstHundredInOrder(bool sequential)
    {
        using var temp = new TempDir();
        Directory.CreateDirectory(temp.Sub("in"));
        for (var i = 0; i < 150; i++)
        {
            temp.Write($"in/bad{i:D3}.gz", "not gzip");
        }

        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")) { KeepResults = false };

        var summary = await RunAsync(sequential, new Pipeline.Compression.GunzipTransform(), options);

        Assert.Equal(150, summary.FilesFailed);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"bad{i:D3}.gz"), summary.Failures.Select(f => f.RelativePath));
    }

    [Theory]
    [MemberData(nameof(Runners))]
    public async Task Run_CancelledAfterTheManifestStartedStreaming_LeavesNeitherManifestNorTemporaryFile(bool sequential)
    {
        using var temp = new TempDir();
        MakeTree(temp, 2600);
        using var cancellation = new CancellationTokenSource();
        var streaming = false;
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out"))
        {
            KeepResults = false,
            Results = new SynchronousProgress<FileResult>(r =>
            {
                // Told in order: after 2,100 results two batches of the manifest have been written out.
                if (r.Sequence == 2100)
                {
                    streaming = Directory.GetFiles(temp.Sub("out"), "*.tmp").Length > 0;
                    cancellation.Cancel();
                }
            }),
        };

        var summary = await RunAsync(sequential, new HashTransform(), options, cancellation.Token);

        Assert.True(streaming, "the manifest was not being written as results came");
        Assert.True(summary.Cancelled);
        Assert.False(File.Exists(temp.Sub("out/SHA256SUMS")));
        Assert.Empty(Directory.GetFiles(temp.Sub("out"), "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void OrderedResults_AddedOutOfOrder_HandedOnInOrderHoldingOnlyWhatWaits()
    {
        var order = new List<long>();
        var sut = new OrderedResults(r => order.Add(r.Sequence));
        FileResult Result(long sequence) => new($"f{sequence}", FileStatus.Succeeded, 0, 0, TimeSpan.Zero) { Sequence = sequence };

        sut.Add(Result(2));
        sut.Add(Result(1));
        Assert.Empty(order);
        Assert.Equal(2, sut.Waiting);
        sut.Add(Result(0));
        sut.Add(Result(4));
        sut.Add(Result(3));

        Assert.Equal([0L, 1, 2, 3, 4], order);
        Assert.Equal(0, sut.Waiting);
    }

    [Fact]
    public async Task OrderedResults_FileAWindowAheadOfTheFirstMissing_WaitsUntilItArrives()
    {
        var sut = new OrderedResults(_ => { });
        FileResult Result(long sequence) => new($"f{sequence}", FileStatus.Succeeded, 0, 0, TimeSpan.Zero) { Sequence = sequence };
        for (long i = 1; i < OrderedResults.Window; i++)
        {
            sut.Add(Result(i)); // everything after a slow first file
        }

        var near = sut.WaitForRoomAsync(OrderedResults.Window - 1);
        var far = sut.WaitForRoomAsync(OrderedResults.Window + 5);

        Assert.True(near.IsCompleted);
        Assert.False(far.IsCompleted);
        sut.Add(Result(0));
        await far.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, sut.Waiting);
    }

    /// <summary>Reports on the calling thread, at once (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
