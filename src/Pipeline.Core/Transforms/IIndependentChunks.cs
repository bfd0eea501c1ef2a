using Pipeline.Sources;

namespace Pipeline.Transforms;

/// <summary>
/// Implemented by a transform that can process the chunks of a streamed file (one larger than a chunk) independently
/// of each other, given only the bytes just before each one and where it starts, and join their outputs in order (gzip,
/// as pigz does it; BLAKE3's tree, as b3sum does it).
/// Both runners then take such a file through <see cref="IChunkProcessor"/> instead of <see cref="IFileProcessor"/>,
/// with the same steps and so the same bytes: the pipeline processes up to its parallelism of chunks at once, the
/// sequential runner one after another. A file that fits one chunk still goes through <see cref="IFileProcessor"/>.
/// </summary>
internal interface IIndependentChunks
{
    /// <summary>
    /// Whether this run's files split so: chunks of <paramref name="chunkSize"/> bytes, of files that have an output of
    /// their own (<paramref name="hasOutput"/>; gzip, zstd) or not (a digest, that only a manifest shows).
    /// </summary>
    bool Splits(int chunkSize, bool hasOutput);

    /// <summary>Bytes before a chunk that its processing needs (its history); fewer at the start of the file.</summary>
    int HistoryLength { get; }

    /// <summary>Creates the state that joins one streamed file's chunks. Called once per streamed file, on any thread.</summary>
    IChunkProcessor CreateChunkProcessor(SourceFile file);
}
