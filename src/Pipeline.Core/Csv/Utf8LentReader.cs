using System.Buffers;
using System.Text.Unicode;

namespace Pipeline.Csv;

/// <summary>
/// A <see cref="TextReader"/> over UTF-8 bytes lent to it for a while (<see cref="Lend"/>, <see cref="Return"/>),
/// decoded straight into the caller's buffer as it reads: one <see cref="CsvHelper.CsvParser"/> reads a whole file
/// through it, chunk after chunk, with no decoded copy of a chunk ever made. Invalid bytes read as U+FFFD, as
/// <see cref="System.Text.Encoding.UTF8"/> decodes them. Between loans it reads as empty.
/// </summary>
internal sealed unsafe class Utf8LentReader : TextReader
{
    private byte* _next;
    private int _left;

    // The second half of a surrogate pair that did not fit a one-character read.
    private char? _carried;

    /// <summary>Lends <paramref name="length"/> bytes at <paramref name="start"/>; the caller keeps them pinned until <see cref="Return"/>.</summary>
    public void Lend(byte* start, int length)
    {
        _next = start;
        _left = length;
    }

    /// <summary>Ends the loan: nothing of it is read after this.</summary>
    public void Return()
    {
        _next = null;
        _left = 0;
        _carried = null;
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_carried is { } carried)
        {
            buffer[0] = carried;
            _carried = null;
            return 1;
        }

        if (_left == 0)
        {
            return 0;
        }

        // The whole rest as the final block: only its true end can hold an incomplete sequence, read as U+FFFD.
        var bytes = new ReadOnlySpan<byte>(_next, _left);
        Utf8.ToUtf16(bytes, buffer, out var read, out var written, replaceInvalidSequences: true, isFinalBlock: true);
        if (written == 0)
        {
            // A one-character buffer and a character that takes two (a surrogate pair): hand it out in halves.
            Span<char> pair = stackalloc char[2];
            var status = Utf8.ToUtf16(bytes, pair, out read, out written, replaceInvalidSequences: true, isFinalBlock: true);
            if (status == OperationStatus.InvalidData || written == 0)
            {
                throw new InvalidOperationException("UTF-8 decoding made no progress");
            }

            buffer[0] = pair[0];
            if (written == 2)
            {
                _carried = pair[1];
            }

            written = 1;
        }

        _next += read;
        _left -= read;
        return written;
    }

    public override int Peek()
    {
        if (_carried is { } carried)
        {
            return carried;
        }

        if (_left == 0)
        {
            return -1;
        }

        Span<char> pair = stackalloc char[2];
        Utf8.ToUtf16(new ReadOnlySpan<byte>(_next, _left), pair, out _, out var written, replaceInvalidSequences: true, isFinalBlock: true);
        return written > 0 ? pair[0] : -1;
    }

    public override int Read()
    {
        Span<char> one = stackalloc char[1];
        return Read(one) == 1 ? one[0] : -1;
    }
}
