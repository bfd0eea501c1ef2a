namespace Pipeline.Csv;

/// <summary>
/// Finds where CSV records end in raw bytes, chunk after chunk, following the same RFC 4180 rules as CsvHelper:
/// a quote opens a quoted field only at the start of a field, <c>""</c> inside one is a literal quote, and a line
/// break inside quotes belongs to the field. It lets the transform hand CsvHelper only whole records, so a
/// file of any size streams through with one record at most held back.
/// </summary>
internal struct CsvRecordScanner(byte delimiter)
{
    private State _state = State.FieldStart;

    private enum State
    {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }

    /// <summary>Whether the bytes so far end inside a quoted field (an unterminated quote if the file ends here).</summary>
    public readonly bool InQuotes => _state == State.Quoted;

    /// <summary>Scans <paramref name="data"/>, carrying the state on; returns the length up to and including the last record-ending LF, or 0 if none.</summary>
    public int Scan(ReadOnlySpan<byte> data)
    {
        var lastBoundary = 0;
        var i = 0;
        while (i < data.Length)
        {
            switch (_state)
            {
                case State.Quoted:
                    var quote = data[i..].IndexOf((byte)'"');
                    if (quote < 0)
                    {
                        return lastBoundary;
                    }

                    i += quote + 1;
                    _state = State.QuoteInQuoted;
                    break;

                case State.QuoteInQuoted:
                    _state = data[i] == (byte)'"' ? State.Quoted : State.Unquoted;
                    if (_state == State.Unquoted)
                    {
                        // Re-read this byte as the character after a closed quoted field.
                        goto case State.Unquoted;
                    }

                    i++;
                    break;

                case State.FieldStart:
                    if (data[i] == (byte)'"')
                    {
                        _state = State.Quoted;
                        i++;
                        break;
                    }

                    _state = State.Unquoted;
                    goto case State.Unquoted;

                case State.Unquoted:
                    var stop = data[i..].IndexOfAny(delimiter, (byte)'\n', (byte)'\r');
                    if (stop < 0)
                    {
                        return lastBoundary;
                    }

                    i += stop;
                    if (data[i] == (byte)'\n')
                    {
                        lastBoundary = i + 1;
                    }

                    // A delimiter starts a new field; CR and LF start a new record (CsvHelper ends a record at a lone CR too).
                    _state = State.FieldStart;
                    i++;
                    break;
            }
        }

        return lastBoundary;
    }
}
