using System.Buffers;
using System.Text.Unicode;
using CsvHelper;

namespace Pipeline.Csv;

/// <summary>
/// Writes the selected fields of each row as CSV (quoted by <see cref="CsvFieldQuoting"/>, LF line ends, UTF-8
/// without a BOM), encoded straight into the output buffer: the same bytes CsvHelper's writer made through a
/// <see cref="StreamWriter"/>, without the trip from characters to a text buffer to bytes.
/// </summary>
internal sealed class CsvRowWriter(int[] selected, char delimiter)
{
    // Longer fields are encoded a slice at a time, so a size hint never overflows or asks for a huge buffer at once.
    private const int SliceChars = 16 * 1024;

    private readonly byte _delimiter = (byte)delimiter; // an ASCII character: checked by CsvTransformOptions.Validate
    private readonly SearchValues<char> _specials = CsvFieldQuoting.SpecialsFor(delimiter);
    private readonly SearchValues<byte> _byteSpecials = SearchValues.Create([(byte)'\r', (byte)'\n', (byte)'"', (byte)delimiter]);
    private readonly bool _singleColumn = selected.Length == 1;

    /// <summary>Writes the names of the selected columns as the first record.</summary>
    public void WriteHeader(IBufferWriter<byte> output, string[] names)
    {
        for (var i = 0; i < selected.Length; i++)
        {
            WriteField(output, names[selected[i]], i);
        }
    }

    /// <summary>Writes the selected fields of the parser's current record.</summary>
    public void WriteRow(IBufferWriter<byte> output, CsvParser row)
    {
        for (var i = 0; i < selected.Length; i++)
        {
            // A field past the row's end is empty: a short row padded (CsvTransformOptions.PadShortRows).
            WriteField(output, selected[i] < row.Count ? row[selected[i]] : string.Empty, i);
        }
    }

    /// <summary>
    /// Writes the selected fields of a record read from its bytes (<see cref="CsvRecordFields"/>), copied as they are:
    /// a field is valid UTF-8, and the inside of a quoted one is already in its written form (its quotes doubled).
    /// </summary>
    public void WriteRow(IBufferWriter<byte> output, in CsvRecordFields row)
    {
        for (var i = 0; i < selected.Length; i++)
        {
            var field = row.Escaped(selected[i]);

            // The escaped form holds a quote, CR, LF or delimiter, or starts or ends with a space, just when the text does.
            var quoted = field.Length == 0 ? _singleColumn : field[0] == (byte)' ' || field[^1] == (byte)' ' || field.ContainsAny(_byteSpecials);
            var last = i == selected.Length - 1;
            if (field.Length > SliceChars)
            {
                WriteLongField(output, field, i > 0, quoted, last);
                continue;
            }

            var span = output.GetSpan(field.Length + 4);
            var n = 0;
            if (i > 0)
            {
                span[n++] = _delimiter;
            }

            if (quoted)
            {
                span[n++] = (byte)'"';
            }

            field.CopyTo(span[n..]);
            n += field.Length;
            if (quoted)
            {
                span[n++] = (byte)'"';
            }

            if (last)
            {
                span[n++] = (byte)'\n';
            }

            output.Advance(n);
        }
    }

    /// <summary>Writes field number <paramref name="position"/> of the record, with the delimiter before it or the line end after it.</summary>
    private void WriteField(IBufferWriter<byte> output, string field, int position)
    {
        var quoted = field.Length == 0 ? _singleColumn : CsvFieldQuoting.NeedsQuotes(field, _specials);
        var last = position == selected.Length - 1;
        if (field.Length > SliceChars)
        {
            WriteLongField(output, field, position > 0, quoted, last);
            return;
        }

        // At most 3 bytes a UTF-16 character (a doubled quote takes 2), the two quotes, the delimiter and the LF.
        var span = output.GetSpan((field.Length * 3) + 4);
        var n = 0;
        if (position > 0)
        {
            span[n++] = _delimiter;
        }

        if (!quoted)
        {
            n += Encode(field, span[n..]);
        }
        else
        {
            span[n++] = (byte)'"';
            n += EncodeQuoted(field, span[n..]);
            span[n++] = (byte)'"';
        }

        if (last)
        {
            span[n++] = (byte)'\n';
        }

        output.Advance(n);
    }

    private void WriteLongField(IBufferWriter<byte> output, string field, bool afterDelimiter, bool quoted, bool last)
    {
        if (afterDelimiter)
        {
            WriteByte(output, _delimiter);
        }

        if (quoted)
        {
            WriteByte(output, (byte)'"');
        }

        var rest = field.AsSpan();
        while (!rest.IsEmpty)
        {
            var slice = rest[..Math.Min(rest.Length, SliceChars)];
            if (char.IsHighSurrogate(slice[^1]) && slice.Length < rest.Length)
            {
                slice = slice[..^1]; // keep a surrogate pair in one slice
            }

            var span = output.GetSpan(slice.Length * 3);
            output.Advance(quoted ? EncodeQuoted(slice, span) : Encode(slice, span));
            rest = rest[slice.Length..];
        }

        if (quoted)
        {
            WriteByte(output, (byte)'"');
        }

        if (last)
        {
            WriteByte(output, (byte)'\n');
        }
    }

    private void WriteLongField(IBufferWriter<byte> output, ReadOnlySpan<byte> field, bool afterDelimiter, bool quoted, bool last)
    {
        if (afterDelimiter)
        {
            WriteByte(output, _delimiter);
        }

        if (quoted)
        {
            WriteByte(output, (byte)'"');
        }

        output.Write(field);
        if (quoted)
        {
            WriteByte(output, (byte)'"');
        }

        if (last)
        {
            WriteByte(output, (byte)'\n');
        }
    }

    private static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    /// <summary>Encodes the inside of a quoted field: each quote doubled.</summary>
    private static int EncodeQuoted(ReadOnlySpan<char> text, Span<byte> target)
    {
        var n = 0;
        for (var quote = text.IndexOf('"'); quote >= 0; quote = text.IndexOf('"'))
        {
            n += Encode(text[..quote], target[n..]);
            target[n++] = (byte)'"';
            target[n++] = (byte)'"';
            text = text[(quote + 1)..];
        }

        return n + Encode(text, target[n..]);
    }

    private static int Encode(ReadOnlySpan<char> text, Span<byte> target)
    {
        Utf8.FromUtf16(text, target, out _, out var written, replaceInvalidSequences: true, isFinalBlock: true);
        return written;
    }
}
