using System.Buffers;

namespace Pipeline.Transforms;

/// <summary>
/// Processes one file, pushed through in order as chunks. CPU work only: it never does I/O itself,
/// so the pipeline can run it on the thread pool while reads and writes overlap.
/// </summary>
public interface IFileProcessor : IDisposable
{
    /// <summary>Consumes the next chunk of the file and appends any output bytes to <paramref name="output"/>.</summary>
    /// <remarks>A file is fed in chunks of the run's chunk size; a file no larger than that arrives in one call (or none if empty).</remarks>
    void Append(ReadOnlySpan<byte> chunk, IBufferWriter<byte> output);

    /// <summary>Called after the last chunk: appends the remaining output and returns the file's artifact (a digest, say) or <see langword="null"/>.</summary>
    /// <exception cref="InvalidDataException">The file's content is bad for this transform; the file fails with this message.</exception>
    object? Complete(IBufferWriter<byte> output);
}
