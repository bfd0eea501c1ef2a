namespace Pipeline.Sharding;

/// <summary>
/// Thrown by <see cref="ShardMerger.MergeAsync"/> when the shards cannot be joined: some have not finished, or were run
/// with other settings, or their parts do not add up. No output was written; every problem is listed, naming its shards.
/// </summary>
public sealed class ShardMergeException : Exception
{
    /// <summary>Creates the exception from its problems and the shards at fault.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    internal ShardMergeException(IReadOnlyList<string> problems, IReadOnlyList<int> missingShards, IReadOnlyList<int> inconsistentShards, Exception? innerException = null)
        : base(string.Join("; ", problems ?? throw new ArgumentNullException(nameof(problems))), innerException)
    {
        ArgumentNullException.ThrowIfNull(missingShards);
        ArgumentNullException.ThrowIfNull(inconsistentShards);
        Problems = problems;
        MissingShards = missingShards;
        InconsistentShards = inconsistentShards;
    }

    /// <summary>Creates the exception with one problem.</summary>
    public ShardMergeException(string message)
        : this([message], [], [])
    {
    }

    /// <summary>Creates the exception with one problem: "the shards cannot be merged".</summary>
    public ShardMergeException()
        : this("the shards cannot be merged")
    {
    }

    /// <summary>Creates the exception with one problem and its cause.</summary>
    public ShardMergeException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
        MissingShards = [];
        InconsistentShards = [];
    }

    /// <summary>Each problem as one line.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Shards (by index) that have not finished: no completion record, or a part of an output missing.</summary>
    public IReadOnlyList<int> MissingShards { get; }

    /// <summary>Shards (by index) whose settings or parts disagree with the others'.</summary>
    public IReadOnlyList<int> InconsistentShards { get; }
}
