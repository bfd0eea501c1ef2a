namespace Pipeline.Running.Engine;

/// <summary>Where a run's results go, in ordinal order, to become its aggregate outputs: the outputs themselves (<see cref="AggregateStream"/>) or a shard's parts of them (<see cref="Sharding.ShardParts"/>).</summary>
internal interface IAggregateSink : IDisposable
{
    /// <summary>Takes the next result in ordinal order.</summary>
    void Add(FileResult result);

    /// <summary>Writes what is left and puts the outputs in place.</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}
