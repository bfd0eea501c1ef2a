using System.Text;

namespace Pipeline.Csv;

/// <summary>
/// The fields of one record read straight from its UTF-8 bytes, for the records CsvHelper would read no differently:
/// one line, no CR, every quote where RFC 4180 puts one (<see cref="CsvRecordScanner.HasWellFormedQuotes"/>). Each
/// field is the bytes between delimiters; a quoted one is its inside, still escaped (quotes doubled).
/// </summary>
internal readonly ref struct CsvRecordFields
{
    private readonly ReadOnlySpan<byte> _content;
    private readonly ReadOnlySpan<int> _starts;

    private CsvRecordFields(ReadOnlySpan<byte> content, ReadOnlySpan<int> starts, int count)
    {
        _content = content;
        _starts = starts;
        Count = count;
    }

    /// <summary>The number of fields in the record (only the first <c>starts.Length - 1</c> can be read).</summary>
    public int Count { get; }

    /// <summary>
    /// Splits <paramref name="content"/> (the record without its line end) into fields, their starts kept in
    /// <paramref name="starts"/>: with N + 1 places, the first N fields can be read.
    /// </summary>
    public static CsvRecordFields Split(ReadOnlySpan<byte> content, byte delimiter, Span<int> starts)
    {
        var count = 0;
        var at = 0;
        while (true)
        {
            if (count < starts.Length)
            {
                starts[count] = at;
            }

            count++;
            int end;
            if (at < content.Length && content[at] == (byte)'"')
            {
                // A quoted field: past its closing quote, a "" inside being a literal quote; the delimiter or the end follows.
                end = at + 1;
                while (true)
                {
                    end += content[end..].IndexOf((byte)'"') + 1;
                    if (end < content.Length && content[end] == (byte)'"')
                    {
                        end++;
                        continue;
                    }

                    break;
                }
            }
            else
            {
                var delimiterAt = content[at..].IndexOf(delimiter);
                end = delimiterAt < 0 ? content.Length : at + delimiterAt;
            }

            if (end >= content.Length)
            {
                break;
            }

            at = end + 1;
        }

        if (count < starts.Length)
        {
            starts[count] = content.Length + 1;
        }

        return new CsvRecordFields(content, starts, count);
    }

    /// <summary>Field <paramref name="index"/> as written in the record: a quoted field's inside, its quotes still doubled.</summary>
    public ReadOnlySpan<byte> Escaped(int index)
    {
        var field = _content[_starts[index]..(_starts[index + 1] - 1)];
        return field.Length > 0 && field[0] == (byte)'"' ? field[1..^1] : field;
    }

    /// <summary>Whether field <paramref name="index"/> holds a literal quote (only a quoted one can).</summary>
    public bool HasQuote(int index) => Escaped(index).Contains((byte)'"');

    /// <summary>The text of field <paramref name="index"/>.</summary>
    public string GetString(int index)
    {
        var text = Encoding.UTF8.GetString(Escaped(index));
        return text.Contains('"', StringComparison.Ordinal) ? text.Replace("\"\"", "\"", StringComparison.Ordinal) : text;
    }
}
