using System.Buffers;

namespace Pipeline.Transforms;

/// <summary>
/// Processes one streamed file chunk by chunk, the chunks independently (see <see cref="IIndependentChunks"/>). The
/// runner calls <see cref="Begin"/>, then <see cref="Process"/> for every chunk (concurrently, on any threads), and
/// for each chunk in file order, once its output has been written, <see cref="Join"/>; then <see cref="Complete"/>.
/// CPU work only, like <see cref="IFileProcessor"/>.
/// </summary>
internal interface IChunkProcessor
{
    /// <summary>Appends the output that comes before the first chunk's (a header).</summary>
    void Begin(IBufferWriter<byte> output);

    /// <summary>Processes one chunk into its own output; thread-safe, for different chunks at once.</summary>
    /// <param name="offset">Where the chunk starts in the file.</param>
    /// <param name="history">Up to <see cref="IIndependentChunks.HistoryLength"/> bytes that come right before the chunk in the file.</param>
    /// <param name="chunk">The chunk; never empty.</param>
    /// <param name="output">The chunk's own output.</param>
    /// <returns>What <see cref="Join"/> needs to know of the chunk.</returns>
    ChunkCheck Process(long offset, ReadOnlySpan<byte> history, ReadOnlySpan<byte> chunk, IBufferWriter<byte> output);

    /// <summary>Takes a chunk's check, in file order, after the output of every chunk before it.</summary>
    void Join(ChunkCheck check);

    /// <summary>Called after the last chunk's <see cref="Join"/>: appends the output that ends the file (a trailer) and returns the file's artifact or <see langword="null"/>.</summary>
    object? Complete(IBufferWriter<byte> output);
}
