namespace Pipeline.Transforms;

/// <summary>What the end of a file's output needs of one of its chunks processed apart (see <see cref="IChunkProcessor"/>): its length and checksum.</summary>
/// <param name="Checksum">The chunk's checksum on its own (gzip: its CRC-32).</param>
/// <param name="Length">The chunk's length in bytes.</param>
/// <param name="Digest">What a checksum of 32 bits cannot hold (BLAKE3: the chaining value of the chunk's subtree).</param>
internal readonly record struct ChunkCheck(uint Checksum, int Length, byte[]? Digest = null);
