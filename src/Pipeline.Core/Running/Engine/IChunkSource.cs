namespace Pipeline.Running.Engine;

/// <summary>The chunks of a file larger than one chunk, in order. The consumer returns each chunk's buffer to the pool.</summary>
internal interface IChunkSource : IAsyncDisposable
{
    /// <summary>Bytes handed out so far.</summary>
    long BytesRead { get; }

    /// <summary>The next chunk, or <see langword="null"/> at the end of the file.</summary>
    ValueTask<ChunkReader.Chunk?> ReadAsync(CancellationToken cancellationToken);
}
