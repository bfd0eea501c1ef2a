using Pipeline.Safety;

namespace Pipeline.Unattended;

/// <summary>
/// Reads a journal's lines as bytes, forward from any offset, up to a fixed end (what a run appends after it opened the
/// reader is not read). Holds one buffer, whatever the size of the file.
/// </summary>
internal sealed class JournalLines : IDisposable
{
    private readonly FileStream _file;
    private readonly long _end;
    private byte[] _buffer = new byte[64 * 1024];
    private long _bufferOffset;
    private int _start;
    private int _count;

    /// <summary>Opens <paramref name="path"/> for reading up to <paramref name="end"/> bytes (the file's length when null); others may keep appending.</summary>
    public JournalLines(string path, long? end = null)
    {
        // The tool's own file: never read through a link or from a pipe, which would block.
        _file = StateFile.OpenStream(path, FileMode.Open, FileAccess.Read, bufferSize: 0);
        _end = end ?? _file.Length;
    }

    /// <summary>The offset where the next line starts.</summary>
    public long Position => _bufferOffset + _start;

    /// <summary>The offset up to which lines are read.</summary>
    public long End => _end;

    /// <summary>Reads on from <paramref name="offset"/>.</summary>
    public void Seek(long offset)
    {
        _bufferOffset = Math.Clamp(offset, 0, _end);
        _start = 0;
        _count = 0;
    }

    /// <summary>The next line, without its newline (a last line without one too); valid until the next call.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _count).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = _buffer.AsSpan(_start, newline);
                _start += newline + 1;
                _count -= newline + 1;
                return true;
            }

            if (!Fill())
            {
                line = _buffer.AsSpan(_start, _count);
                _start += _count;
                _count = 0;
                return line.Length > 0;
            }
        }
    }

    public void Dispose() => _file.Dispose();

    /// <summary>Reads more after what the buffer holds (a line longer than the buffer grows it); false at the end.</summary>
    private bool Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _count).CopyTo(_buffer);
            _bufferOffset += _start;
            _start = 0;
        }

        if (_count == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var from = _bufferOffset + _count;
        var room = (int)Math.Min(_buffer.Length - _count, _end - from);
        if (room <= 0)
        {
            return false;
        }

        var read = RandomAccess.Read(_file.SafeFileHandle, _buffer.AsSpan(_count, room), from);
        _count += read;
        return read > 0;
    }
}
