using System.Buffers.Binary;
using static Pipeline.Hashing.Blake3Compression;

namespace Pipeline.Hashing;

/// <summary>
/// BLAKE3's default hash (32 bytes, as <c>b3sum</c> prints it) of content appended in pieces of any size. Whole chunks
/// are compressed several at once (<see cref="Blake3Compression.CompressChunks"/>); the chunk tree is kept as a stack of
/// chaining values, one per completed subtree, merged as each subtree completes. The last chunk is held back until the
/// end: only then is it known to be the last, and it (or the top parent) is compressed with the ROOT flag.
/// </summary>
/// <remarks>
/// Ours rather than the <c>Blake3</c> package's: that one vectorises only across 16 chunks at a time with 512-bit vectors,
/// which the Native AOT build (compiled for x86-64-v2 by default) does not use, and compresses files of a few KiB one
/// block at a time; docs/benchmarks-hashing.md has the figures.
/// </remarks>
internal sealed class Blake3Hasher
{
    /// <summary>The digest's length in bytes.</summary>
    public const int HashLength = 32;

    // A stack deep enough for 2^54 chunks (2^64 bytes), as the reference implementation sizes it.
    private const int MaxDepth = 54;

    private readonly byte[] _chunk = new byte[ChunkLength];
    private readonly uint[] _stack = new uint[MaxDepth * 8];
    private readonly uint[] _cvs = new uint[Lanes * 8];
    private int _chunkLength;
    private ulong _chunkCounter;
    private int _depth;

    /// <summary>Adds the next bytes of the content.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (_chunkLength > 0)
        {
            var take = Math.Min(ChunkLength - _chunkLength, data.Length);
            data[..take].CopyTo(_chunk.AsSpan(_chunkLength));
            _chunkLength += take;
            data = data[take..];
            if (data.IsEmpty)
            {
                return;
            }

            // The held chunk is whole and more follows: it is not the last.
            CompressWholeChunks(_chunk, 1);
            _chunkLength = 0;
        }

        // Whole chunks, keeping at least one byte back for the last chunk.
        while (data.Length > ChunkLength)
        {
            var count = Math.Min((data.Length - 1) / ChunkLength, Lanes);
            CompressWholeChunks(data, count);
            data = data[(count * ChunkLength)..];
        }

        data.CopyTo(_chunk);
        _chunkLength = data.Length;
    }

    /// <summary>Writes the digest of everything appended since the last reset to <paramref name="destination"/>; then resets.</summary>
    public void GetHashAndReset(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, HashLength);
        Span<uint> cv = stackalloc uint[8];
        Finish(cv, root: true);
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(destination[(i * 4)..], cv[i]);
        }
    }

    /// <summary>
    /// Starts over as the part of a larger content that begins at BLAKE3 chunk <paramref name="firstChunk"/> (its byte
    /// offset over 1,024), for <see cref="GetChainingValueAndReset"/>.
    /// </summary>
    public void Restart(ulong firstChunk)
    {
        _chunkLength = 0;
        _depth = 0;
        _chunkCounter = firstChunk;
    }

    /// <summary>
    /// The chaining value of what was appended since <see cref="Restart"/>, as a part of a larger content that has more
    /// before it: a whole subtree of BLAKE3's tree when that part is a power of two of chunks at a multiple of its
    /// size, or the right edge of the tree when it ends the content. Writes 8 words; then resets.
    /// </summary>
    public void GetChainingValueAndReset(Span<uint> chainingValue) => Finish(chainingValue, root: false);

    // The last chunk: every block but its last chained, the last one compressed with the flags it ends with; then up
    // the right edge of the tree, each held subtree the left child of what came after it. Only the root, the very last
    // compression of the whole content, has the ROOT flag.
    private void Finish(Span<uint> cv, bool root)
    {
        IV.CopyTo(cv);
        var blocks = Math.Max(1, (_chunkLength + BlockLength - 1) / BlockLength);
        for (var block = 0; block < blocks - 1; block++)
        {
            Compress(cv, _chunk.AsSpan(block * BlockLength, BlockLength), _chunkCounter, BlockLength, block == 0 ? ChunkStart : 0);
        }

        Span<byte> last = stackalloc byte[BlockLength];
        var lastLength = _chunkLength - ((blocks - 1) * BlockLength);
        _chunk.AsSpan((blocks - 1) * BlockLength, lastLength).CopyTo(last);
        var lastFlags = ChunkEnd | (blocks == 1 ? ChunkStart : 0);
        Compress(cv, last, _chunkCounter, (uint)lastLength, lastFlags | (root && _depth == 0 ? Root : 0));
        for (var level = _depth - 1; level >= 0; level--)
        {
            CompressParent(_stack.AsSpan(level * 8, 8), cv, root && level == 0 ? Root : 0, cv);
        }

        Restart(0);
    }

    private void CompressWholeChunks(ReadOnlySpan<byte> chunks, int count)
    {
        var cvs = _cvs.AsSpan(0, count * 8);
        if (count == 1 || !BitConverter.IsLittleEndian)
        {
            // One chunk alone: one block at a time is cheaper than a vector of lanes that all repeat it. (And the lanes read
            // words in the machine's order, so a big-endian machine takes this way too.)
            for (var chunk = 0; chunk < count; chunk++)
            {
                var cv = cvs.Slice(chunk * 8, 8);
                IV.CopyTo(cv);
                for (var block = 0; block < ChunkLength / BlockLength; block++)
                {
                    var flags = (block == 0 ? ChunkStart : 0) | (block == (ChunkLength / BlockLength) - 1 ? ChunkEnd : 0);
                    Compress(cv, chunks.Slice((chunk * ChunkLength) + (block * BlockLength), BlockLength), _chunkCounter + (ulong)chunk, BlockLength, flags);
                }
            }
        }
        else
        {
            CompressChunks(chunks, count, _chunkCounter, cvs);
        }

        for (var i = 0; i < count; i++)
        {
            _chunkCounter++;
            PushChunk(cvs.Slice(i * 8, 8), _chunkCounter);
        }
    }

    // A chunk completes as many subtrees as the new chunk count has trailing zero bits: each merges the stack's top (its
    // left half) with what has been built to its right. None of them is the root: more content follows every pushed chunk.
    private void PushChunk(ReadOnlySpan<uint> chunkCv, ulong totalChunks)
    {
        Span<uint> cv = stackalloc uint[8];
        chunkCv.CopyTo(cv);
        while ((totalChunks & 1) == 0)
        {
            _depth--;
            CompressParent(_stack.AsSpan(_depth * 8, 8), cv, 0, cv);
            totalChunks >>= 1;
        }

        cv.CopyTo(_stack.AsSpan(_depth * 8, 8));
        _depth++;
    }
}
