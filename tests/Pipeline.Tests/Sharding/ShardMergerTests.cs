using Pipeline.Csv;
using Pipeline.Hashing;
using Pipeline.Reporting;
using Pipeline.Running;
using Pipeline.Sharding;
using Pipeline.Sources;
using Pipeline.Tests.Support;
using Pipeline.Transforms;

namespace Pipeline.Tests.Sharding;

/// <summary>What the merge checks and writes, beyond the runner contract: settings that disagree, counts, reports, damaged parts.</summary>
public sealed class ShardMergerTests
{
    [Fact]
    public async Task MergeAsync_ShardsWithReports_WritesTheReportOneRunWritesButForTheTimings()
    {
        using var temp = new TempDir();
        Corpus.Generate(temp.Sub("in"), files: 40, maxSize: 5000, seed: 21);
        temp.Write("in/bad.csv", [0, 0xFF, 0]);
        var whole = await RunWithReportAsync(new CsvTransform(), Options(temp, "whole"), temp.Sub("whole.csv"));
        for (var i = 0; i < 4; i++)
        {
            await RunWithReportAsync(new CsvTransform(), Options(temp, "out").With(o => o.Shard = new Shard(i, 4)), temp.Sub("report.csv"));
            Assert.False(File.Exists(temp.Sub("report.csv")));
        }

        var sut = await ShardMerger.MergeAsync(temp.Sub("out"));

        Assert.Equal([temp.Sub("out/bad-rows.csv"), temp.Sub("report.csv")], sut.Outputs);
        Assert.Equal(WithoutTimings(temp.Sub("whole.csv")), WithoutTimings(temp.Sub("report.csv")));
        Assert.Equal(File.ReadAllBytes(temp.Sub("whole/bad-rows.csv")), File.ReadAllBytes(temp.Sub("out/bad-rows.csv")));
        Assert.Equal((41L, (long)whole.FilesFailed), (sut.FilesFound, sut.FilesFailed));
        Assert.NotEmpty(sut.ShardsWithFailures);
    }

    [Fact]
    public async Task MergeAsync_RunTwice_WritesTheSameBytes()
    {
        using var temp = new TempDir();
        await RunShardsAsync(temp, 3);
        await ShardMerger.MergeAsync(temp.Sub("out"));
        var first = Corpus.Snapshot(temp.Sub("out"));

        await ShardMerger.MergeAsync(temp.Sub("out"), 3);

        Assert.Equal(first, Corpus.Snapshot(temp.Sub("out")));
    }

    [Fact]
    public async Task MergeAsync_AShardRunWithOtherSettings_ThrowsNamingItAndWritesNothing()
    {
        using var temp = new TempDir();
        await RunShardsAsync(temp, 3);
        await DataflowRunner.RunAsync(new HashTransform(HashAlgorithmKind.Sha512), Options(temp, "out").With(o => o.Shard = new Shard(2, 3)));

        var ex = await Assert.ThrowsAsync<ShardMergeException>(() => ShardMerger.MergeAsync(temp.Sub("out")));

        Assert.Equal([2], ex.InconsistentShards);
        Assert.Contains("shard 2 of 3 was run with other settings than shard 0: transform hash:sha256:sums vs hash:sha512:sums", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.Sub("out/SHA256SUMS")));
    }

    [Fact]
    public async Task MergeAsync_AShardWithAnotherSelection_ThrowsNamingIt()
    {
        using var temp = new TempDir();
        await RunShardsAsync(temp, 2);
        var other = Options(temp, "out").With(o => { o.Selection = new FileSelection(temp.Sub("in")) { Exclude = ["**/*.bin"] }; o.Shard = new Shard(1, 2); });
        await DataflowRunner.RunAsync(new HashTransform(), other);

        var ex = await Assert.ThrowsAsync<ShardMergeException>(() => ShardMerger.MergeAsync(temp.Sub("out")));

        Assert.Equal([1], ex.InconsistentShards);
        Assert.Contains("exclude (none) vs **/*.bin", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MergeAsync_ShardsOfTwoCountsAndNoCountGiven_ThrowsAskingWhichButMergesTheCountGiven()
    {
        using var temp = new TempDir();
        await RunShardsAsync(temp, 2);
        await RunShardsAsync(temp, 3);

        var ex = await Assert.ThrowsAsync<ShardMergeException>(() => ShardMerger.MergeAsync(temp.Sub("out")));
        Assert.Contains("2 and 3 shards", ex.Message, StringComparison.Ordinal);

        var sut = await ShardMerger.MergeAsync(temp.Sub("out"), 2);
        Assert.Equal(2, sut.ShardCount);
        Assert.Equal(40, sut.FilesFound);
    }

    [Fact]
    public async Task MergeAsync_NoShards_Throws()
    {
        using var temp = new TempDir();
        Directory.CreateDirectory(temp.Sub("out"));

        var ex = await Assert.ThrowsAsync<ShardMergeException>(() => ShardMerger.MergeAsync(temp.Sub("out")));

        Assert.Contains("no shards", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Sub("out/.pipeline")));
    }

    [Fact]
    public async Task MergeAsync_APartCutShort_ThrowsNamingItsShardAndWritesNothing()
    {
        using var temp = new TempDir();
        await RunShardsAsync(temp, 3);
        var part = temp.Sub("out/.pipeline/shard-1-of-3/parts/SHA256SUMS");
        var bytes = File.ReadAllBytes(part);
        File.WriteAllBytes(part, bytes[..^10]);

        var ex = await Assert.ThrowsAsync<ShardMergeException>(() => ShardMerger.MergeAsync(temp.Sub("out")));

        Assert.Equal([1], ex.InconsistentShards);
        Assert.StartsWith("shard 1 of 3: ", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.Sub("out/SHA256SUMS")));
        Assert.Empty(Directory.EnumerateFiles(temp.Sub("out"), "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task MergeAsync_OneShardWithoutItsReportPart_ThrowsNamingIt()
    {
        using var temp = new TempDir();
        Corpus.Generate(temp.Sub("in"), files: 20, maxSize: 2000, seed: 5);
        await RunWithReportAsync(new HashTransform(), Options(temp, "out").With(o => o.Shard = new Shard(0, 2)), temp.Sub("report.csv"));
        await DataflowRunner.RunAsync(new HashTransform(), Options(temp, "out").With(o => o.Shard = new Shard(1, 2)));

        var ex = await Assert.ThrowsAsync<ShardMergeException>(() => ShardMerger.MergeAsync(temp.Sub("out")));

        Assert.Equal([1], ex.MissingShards);
        Assert.Contains("shard 1 of 2 wrote no part of the report that shard 0 wrote", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ShardRunAgain_ClearsItsEarlierCompletionSoItNeverLooksFinishedMidRun()
    {
        using var temp = new TempDir();
        await RunShardsAsync(temp, 2);
        var record = temp.Sub("out/.pipeline/shard-0-of-2/complete.json");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var summary = await DataflowRunner.RunAsync(new HashTransform(), Options(temp, "out").With(o => o.Shard = new Shard(0, 2)), null, cancelled.Token);

        Assert.True(summary.Cancelled);
        Assert.False(File.Exists(record));
        Assert.False(Directory.Exists(temp.Sub("out/.pipeline/shard-0-of-2/parts")));
    }

    private static PipelineOptions Options(TempDir temp, string output) =>
        new(new FileSelection(temp.Sub("in")), temp.Sub(output));

    private static async Task RunShardsAsync(TempDir temp, int count)
    {
        if (!Directory.Exists(temp.Sub("in")))
        {
            Corpus.Generate(temp.Sub("in"), files: 40, maxSize: 3000, seed: 9);
        }

        for (var i = 0; i < count; i++)
        {
            var summary = await DataflowRunner.RunAsync(new HashTransform(), Options(temp, "out").With(o => o.Shard = new Shard(i, count)));
            Assert.Equal(0, summary.FilesFailed);
        }
    }

    /// <summary>A run with a report, as the command line writes it: from <see cref="PipelineOptions.Results"/>, committed after the run.</summary>
    private static async Task<RunSummary> RunWithReportAsync(IFileTransform transform, PipelineOptions options, string reportPath)
    {
        using var report = RunReport.Open(reportPath, options);
        var summary = await DataflowRunner.RunAsync(transform, options.With(o => { o.KeepResults = false; o.Results = new RecordingResults(report.Add); }));
        report.Commit();
        return summary;
    }

    /// <summary>The report's rows with the milliseconds column blanked: the only column two runs of the same files differ in.</summary>
    private static List<string> WithoutTimings(string path) =>
        [.. Rfc4180Reader.Read(File.ReadAllText(path)).Select(row => string.Join('|', row.Take(4).Concat(row.Skip(5))))];

    private sealed class RecordingResults(Action<FileResult> add) : IProgress<FileResult>
    {
        public void Report(FileResult value) => add(value);
    }
}
