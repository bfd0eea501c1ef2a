using System.Buffers;
using System.Buffers.Binary;
using Pipeline.Transforms;
using static Pipeline.Hashing.Blake3Compression;

namespace Pipeline.Hashing;

/// <summary>
/// BLAKE3 of a streamed file with its chunks hashed apart, on every core the pipeline has, and joined in file order: as
/// <c>b3sum</c> spreads one file over its threads. A chunk of the run (a power of two of BLAKE3's 1 KiB chunks, starting
/// at a multiple of its size) is a whole subtree of BLAKE3's tree, and the file's last chunk the tree's right edge; each
/// is reduced to its chaining value on its own (<see cref="Process"/>). <see cref="Join"/> keeps the joined subtrees as a
/// stack merged as each pair completes, holding the newest back, so that only <see cref="Complete"/>, which knows it has
/// the last, compresses the root. The digest is the one <see cref="Blake3Hasher"/> gives the whole file at once.
/// </summary>
internal sealed class Blake3Subtrees : IChunkProcessor
{
    // One entry per level of subtrees of the run's chunk size: enough for 2^54 of them.
    private readonly uint[] _stack = new uint[54 * 8];
    private int _depth;
    private ulong _pushed;
    private byte[]? _held;
    private int _heldLength;
    private int _firstLength;

    /// <summary>Whether a run's chunks are whole subtrees: a power of two of BLAKE3's chunks.</summary>
    public static bool Fits(int chunkSize) => chunkSize >= ChunkLength && (chunkSize & (chunkSize - 1)) == 0;

    /// <inheritdoc/>
    public void Begin(IBufferWriter<byte> output)
    {
    }

    /// <inheritdoc/>
    public ChunkCheck Process(long offset, ReadOnlySpan<byte> history, ReadOnlySpan<byte> chunk, IBufferWriter<byte> output)
    {
        if (offset % ChunkLength != 0)
        {
            throw new InvalidOperationException($"a BLAKE3 subtree starts at a multiple of {ChunkLength} bytes, not at {offset}");
        }

        var hasher = new Blake3Hasher();
        hasher.Restart((ulong)offset / ChunkLength);
        hasher.Append(chunk);
        Span<uint> cv = stackalloc uint[8];
        hasher.GetChainingValueAndReset(cv);
        var digest = new byte[32];
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(digest.AsSpan(i * 4), cv[i]);
        }

        return new ChunkCheck(0, chunk.Length, digest);
    }

    /// <inheritdoc/>
    public void Join(ChunkCheck check)
    {
        var digest = check.Digest ?? throw new ArgumentException("a BLAKE3 chunk's check carries its chaining value", nameof(check));
        if (_held is { } left)
        {
            // The held chunk had one after it: it was whole (every chunk but the last is), and not the root.
            if (_heldLength != _firstLength)
            {
                throw new InvalidOperationException($"a chunk of {_heldLength} bytes before the last, in a file of chunks of {_firstLength}");
            }

            Push(left);
        }
        else
        {
            _firstLength = check.Length;
        }

        _held = digest;
        _heldLength = check.Length;
    }

    /// <inheritdoc/>
    public object? Complete(IBufferWriter<byte> output)
    {
        if (_held is null || _depth == 0)
        {
            // A file that fits one chunk is hashed whole (IIndependentChunks): its one chunk would be the root.
            throw new InvalidOperationException("a file hashed in subtrees has two chunks or more");
        }

        Span<uint> cv = stackalloc uint[8];
        Words(_held, cv);
        for (var level = _depth - 1; level >= 0; level--)
        {
            CompressParent(_stack.AsSpan(level * 8, 8), cv, level == 0 ? Root : 0, cv);
        }

        var digest = new byte[Blake3Hasher.HashLength];
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(digest.AsSpan(i * 4), cv[i]);
        }

        return digest;
    }

    // As Blake3Hasher pushes chunks, in units of the run's chunks: each completed pair of equal subtrees merges.
    private void Push(byte[] subtree)
    {
        Span<uint> cv = stackalloc uint[8];
        Words(subtree, cv);
        _pushed++;
        for (var total = _pushed; (total & 1) == 0; total >>= 1)
        {
            _depth--;
            CompressParent(_stack.AsSpan(_depth * 8, 8), cv, 0, cv);
        }

        cv.CopyTo(_stack.AsSpan(_depth * 8, 8));
        _depth++;
    }

    private static void Words(byte[] digest, Span<uint> cv)
    {
        for (var i = 0; i < 8; i++)
        {
            cv[i] = BinaryPrimitives.ReadUInt32LittleEndian(digest.AsSpan(i * 4));
        }
    }
}
