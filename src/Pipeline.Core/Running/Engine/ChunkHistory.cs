using System.Buffers;

namespace Pipeline.Running.Engine;

/// <summary>
/// The last bytes of a file read so far, up to a fixed length: the history a chunk processed apart needs (see
/// <see cref="Transforms.IIndependentChunks"/>). It may span several chunks when chunks are smaller than it.
/// </summary>
internal sealed class ChunkHistory(int capacity) : IDisposable
{
    private byte[] _window = capacity > 0 ? ArrayPool<byte>.Shared.Rent(capacity) : [];
    private int _length;

    /// <summary>The bytes held, oldest first.</summary>
    public ReadOnlySpan<byte> Bytes => _window.AsSpan(0, _length);

    /// <summary>Adds bytes read after those held, keeping the last <c>capacity</c>.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= capacity)
        {
            bytes[^capacity..].CopyTo(_window);
            _length = capacity;
            return;
        }

        var kept = Math.Min(_length, capacity - bytes.Length);
        _window.AsSpan(_length - kept, kept).CopyTo(_window);
        bytes.CopyTo(_window.AsSpan(kept));
        _length = kept + bytes.Length;
    }

    /// <summary>A copy of the bytes held, in a pooled array the caller returns.</summary>
    public byte[] Copy(out int length)
    {
        length = _length;
        var copy = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        Bytes.CopyTo(copy);
        return copy;
    }

    public void Dispose()
    {
        if (_window.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_window);
            _window = [];
            _length = 0;
        }
    }
}
