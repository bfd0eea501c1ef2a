using System.Buffers;
using System.Text;

namespace Pipeline.Safety;

/// <summary>
/// A path or a name as the kernel takes it: UTF-8, ended by a zero byte, in a stack buffer when it fits (a walk and a
/// reader pass one per file, so none is allocated), else in a rented one. Dispose returns the rented buffer.
/// </summary>
internal ref struct NativePath
{
    private byte[]? _rented;

    /// <summary>Encodes <paramref name="path"/> into <paramref name="stack"/> if it fits, else into a rented buffer.</summary>
    /// <exception cref="FileNotFoundException">The path holds a zero character, which no name on Linux can.</exception>
    public NativePath(ReadOnlySpan<char> path, Span<byte> stack)
    {
        if (path.Contains('\0'))
        {
            throw new FileNotFoundException("file not found (its name holds a zero character)");
        }

        var needed = Encoding.UTF8.GetMaxByteCount(path.Length) + 1;
        var buffer = needed <= stack.Length ? stack : (_rented = ArrayPool<byte>.Shared.Rent(needed));
        var written = Encoding.UTF8.GetBytes(path, buffer);
        buffer[written] = 0;
        Bytes = buffer[..(written + 1)];
    }

    /// <summary>The encoded path with its ending zero byte; pin its first byte to pass it.</summary>
    public Span<byte> Bytes { get; }

    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
            _rented = null;
        }
    }
}
