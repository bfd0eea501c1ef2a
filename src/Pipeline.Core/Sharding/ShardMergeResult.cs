namespace Pipeline.Sharding;

/// <summary>What <see cref="ShardMerger.MergeAsync"/> joined: the outputs it wrote and the shards' files, summed.</summary>
public sealed class ShardMergeResult
{
    internal ShardMergeResult(int shardCount, IReadOnlyList<string> outputs, long filesFound, long filesSucceeded, long filesFailed, long filesSkipped, IReadOnlyList<int> shardsWithFailures)
    {
        ShardCount = shardCount;
        Outputs = outputs;
        FilesFound = filesFound;
        FilesSucceeded = filesSucceeded;
        FilesFailed = filesFailed;
        FilesSkipped = filesSkipped;
        ShardsWithFailures = shardsWithFailures;
    }

    /// <summary>How many shards were joined.</summary>
    public int ShardCount { get; }

    /// <summary>The absolute paths of the outputs written: the aggregate outputs, then the report if the shards wrote parts of one.</summary>
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>Files the shards found, together: every selected file of the job once.</summary>
    public long FilesFound { get; }

    /// <summary>Files processed successfully by the last run of each shard.</summary>
    public long FilesSucceeded { get; }

    /// <summary>Files that failed; they are left out of the aggregate outputs, as in one run.</summary>
    public long FilesFailed { get; }

    /// <summary>Files a shard's last run skipped because its journal said an earlier run had done them (resume).</summary>
    public long FilesSkipped { get; }

    /// <summary>The shards, by index, where files failed; empty when none did.</summary>
    public IReadOnlyList<int> ShardsWithFailures { get; }
}
