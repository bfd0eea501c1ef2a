using System.Security.Cryptography;
using System.Text;
using Pipeline.Csv;
using Pipeline.Hashing;
using Pipeline.Running;
using Pipeline.Sharding;
using Pipeline.Sources;
using Pipeline.Tests.Support;
using Pipeline.Transforms;
using Pipeline.Unattended;

namespace Pipeline.Tests.Contract;

/// <summary>Sharding (<see cref="PipelineOptions.Shard"/>), as every runner honours it: shards of one job share an output folder and the merge joins them.</summary>
public abstract partial class RunnerContract
{
    private const int Shards = 3;

    public static TheoryData<string> ShardTransforms() => ["sha256", "blake3", "xxh128", "csv"];

    [Theory]
    [MemberData(nameof(ShardTransforms))]
    public async Task Run_EveryShardThenMerge_EachTakesItsFilesAndTheMergedOutputsAreOneRunsBytes(string name)
    {
        using var temp = new TempDir();
        var files = ShardCorpus(temp, name);

        // The reference: one run of the whole job into another folder (for the manifest, also its bytes by definition).
        var whole = await RunAsync(ShardTransform(name), Options(temp).With(o => o.OutputRoot = temp.Sub("whole")));
        if (name != "csv")
        {
            AssertTree(ExpectedOutputs(ShardTransform(name), temp.Sub("in"), files, Chunk), temp.Sub("whole"));
        }

        var taken = new List<string>();
        for (var i = 0; i < Shards; i++)
        {
            var shard = new Shard(i, Shards);
            var summary = await RunAsync(ShardTransform(name), Options(temp).With(o => o.Shard = shard));

            var mine = files.Where(f => Shard.IndexOf(f, Shards) == i).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(mine, summary.Results.Select(r => r.RelativePath));
            taken.AddRange(mine);

            // No shard ever writes the final aggregate.
            Assert.False(File.Exists(temp.Sub("out/" + ShardTransform(name).CreateAggregateOutputs([])[0].RelativePath)));
            AssertLockReleased(temp.Sub("out"));
        }

        Assert.Equal(files.Order(StringComparer.Ordinal), taken.Order(StringComparer.Ordinal));
        var merged = await ShardMerger.MergeAsync(temp.Sub("out"));

        Assert.Equal((files.Count, whole.FilesSucceeded, whole.FilesFailed), (merged.FilesFound, merged.FilesSucceeded, merged.FilesFailed));
        AssertTree(Corpus.Snapshot(temp.Sub("whole")), temp.Sub("out"));
    }

    [Fact]
    public async Task Run_ShardCancelledThenRunAgainWithResume_SkipsWhatItDidAndTheMergeIsOneRunsBytes()
    {
        using var temp = new TempDir();
        var files = ShardCorpus(temp, "sha256");
        var shard = new Shard(1, Shards);
        for (var i = 0; i < Shards; i++)
        {
            if (i != shard.Index)
            {
                await RunAsync(new HashTransform(), Options(temp).With(o => o.Shard = new Shard(i, Shards)));
            }
        }

        // Cancelled once a few of its files are done, as by a scheduler's SIGTERM.
        using var cancellation = new CancellationTokenSource();
        var done = 0;
        var progress = new RecordingProgress
        {
            OnReport = p =>
            {
                if (p.LastResult is { Status: FileStatus.Succeeded } && Interlocked.Increment(ref done) == 5)
                {
                    cancellation.Cancel();
                }
            },
        };
        var cut = await RunAsync(new HashTransform(), Options(temp).With(o => { o.Shard = shard; o.MaxDegreeOfParallelism = 1; o.IoConcurrency = 1; }), progress, cancellation.Token).WaitAsync(Patience);

        Assert.True(cut.Cancelled);
        var refused = await Assert.ThrowsAsync<ShardMergeException>(() => ShardMerger.MergeAsync(temp.Sub("out"), Shards));
        Assert.Equal([shard.Index], refused.MissingShards);
        Assert.Contains($"shard {shard.Index} of {Shards} has not finished", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.Sub("out/SHA256SUMS")));

        var resumed = await RunAsync(new HashTransform(), Options(temp).With(o => { o.Shard = shard; o.Resume = true; }));

        Assert.True(resumed.FilesSkipped >= 5, $"skipped {resumed.FilesSkipped}");
        Assert.Equal(files.Count(f => shard.Contains(f)), resumed.FilesSkipped + resumed.FilesSucceeded);
        await ShardMerger.MergeAsync(temp.Sub("out"), Shards);
        AssertTree(ExpectedOutputs(new HashTransform(), temp.Sub("in"), files, Chunk), temp.Sub("out"));
    }

    [Fact]
    public async Task Run_WhileAShardHoldsTheFolder_TheOtherShardsRunButThatShardAPlainRunAndTheMergeAreRefused()
    {
        using var temp = new TempDir();
        ShardCorpus(temp, "sha256");
        Directory.CreateDirectory(temp.Sub("out"));
        using var running = OutputFolderLock.Acquire(temp.Sub("out"), new Shard(0, 2));

        var other = await RunAsync(new HashTransform(), Options(temp).With(o => o.Shard = new Shard(1, 2)));
        Assert.Equal(0, other.FilesFailed);

        await Assert.ThrowsAsync<OutputLockedException>(() => RunAsync(new HashTransform(), Options(temp).With(o => o.Shard = new Shard(0, 2))));
        await Assert.ThrowsAsync<OutputLockedException>(() => RunAsync(new HashTransform(), Options(temp)));
        await Assert.ThrowsAsync<OutputLockedException>(() => ShardMerger.MergeAsync(temp.Sub("out"), 2));
        Assert.False(File.Exists(temp.Sub("out/SHA256SUMS")));
    }

    [Fact]
    public async Task Run_ShardOfATransformWhoseAggregatesCannotBeSplit_IsRefusedBeforeAnythingIsTouched()
    {
        using var temp = new TempDir();
        ShardCorpus(temp, "sha256");

        // XorTransform's count.txt is a count of files, not a concatenation of per-file parts.
        var ex = await Assert.ThrowsAsync<PipelineOptionsException>(() => RunAsync(new XorTransform(), Options(temp).With(o => o.Shard = new Shard(0, 2))));

        Assert.Equal(nameof(PipelineOptions.Shard), Assert.Single(ex.Problems).Property);
        Assert.Contains("count.txt", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Sub("out")));
    }

    [Fact]
    public async Task Run_ShardWithoutJournal_IsRefusedBeforeAnythingIsTouched()
    {
        using var temp = new TempDir();
        ShardCorpus(temp, "sha256");

        var ex = await Assert.ThrowsAsync<PipelineOptionsException>(() => RunAsync(new HashTransform(), Options(temp).With(o => { o.Shard = new Shard(0, 2); o.Journal = false; })));

        Assert.Equal(nameof(PipelineOptions.Shard), Assert.Single(ex.Problems).Property);
        Assert.False(Directory.Exists(temp.Sub("out")));
    }

    private static IFileTransform ShardTransform(string name) => name == "csv" ? new CsvTransform() : Create(name);

    /// <summary>A tree for a sharded job: generated files, and for csv, CSV files with bad rows and a file that fails.</summary>
    private static List<string> ShardCorpus(TempDir temp, string name)
    {
        if (name != "csv")
        {
            return [.. Corpus.Generate(temp.Sub("in"), files: 60, maxSize: 9000, seed: 11)];
        }

        var csv = new CsvCorpus();
        var files = new List<string>();
        for (var i = 0; i < 24; i++)
        {
            var relative = $"{(char)('a' + (i % 5))}/part-{i:00}.csv";
            csv.Write(temp.Sub("in"), relative, rows: 40 + i, seed: i, crlf: i % 2 == 0, bom: i % 3 == 0, badEvery: i % 4 == 0 ? 0 : 7);
            files.Add(relative);
        }

        temp.Write("in/b/not-csv.csv", [0, 1, 2, 0xFF, 0xFE, 0]);
        files.Add("b/not-csv.csv");
        return files;
    }
}
