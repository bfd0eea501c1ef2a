namespace Pipeline.Csv;

/// <summary>
/// Finds where CSV records end in raw bytes, chunk after chunk, following the same RFC 4180 rules as CsvHelper:
/// a quote opens a quoted field only at the start of a field, <c>""</c> inside one is a literal quote, and a line
/// break inside quotes belongs to the field. It lets the transform hand CsvHelper only whole records, so a
/// file of any size streams through with one record at most held back.
/// </summary>
/// <remarks>
/// Outside quotes it stops only at quotes and line breaks, not at every delimiter: whether a quote opens a field is
/// told by the byte before it (a delimiter, a line break, or the start of the file), which is what CsvHelper's
/// "first character of a field" means there.
/// </remarks>
internal struct CsvRecordScanner(byte delimiter)
{
    private State _state = State.Outside;

    // The byte before the next one scanned; the start of the file counts as the start of a line.
    private byte _previous = (byte)'\n';

    private enum State
    {
        Outside,
        Quoted,
        QuoteInQuoted,
    }

    /// <summary>Whether the bytes so far end inside a quoted field (an unterminated quote if the file ends here).</summary>
    public readonly bool InQuotes => _state == State.Quoted;

    /// <summary>
    /// Whether every quote in <paramref name="record"/> (one whole record, as the scanner cut it) stands where RFC 4180
    /// puts one: opening a field, doubled inside it, or closing it just before a delimiter or the record's end. CsvHelper
    /// reports no bad data in such a record, so only the others need each field looked at to learn whether it does.
    /// </summary>
    public static bool HasWellFormedQuotes(ReadOnlySpan<byte> record, byte delimiter)
    {
        var open = record.IndexOf((byte)'"');
        while (open >= 0)
        {
            // Outside quotes, the record holds no line break before its end, so the byte before is a real delimiter.
            if (open > 0 && record[open - 1] != delimiter)
            {
                return false;
            }

            var at = open + 1;
            while (true)
            {
                var quote = record[at..].IndexOf((byte)'"');
                if (quote < 0)
                {
                    return false;
                }

                at += quote + 1;
                if (at < record.Length && record[at] == (byte)'"')
                {
                    at++;
                    continue;
                }

                break;
            }

            if (at < record.Length && record[at] != delimiter && record[at] != (byte)'\r' && record[at] != (byte)'\n')
            {
                return false;
            }

            var next = record[at..].IndexOf((byte)'"');
            open = next < 0 ? -1 : at + next;
        }

        return true;
    }

    /// <summary>
    /// Scans <paramref name="data"/>, carrying the state on, up to the first record-ending LF: returns the length up to
    /// and including it, or 0 if there is none (then the whole of <paramref name="data"/> was scanned).
    /// </summary>
    public int Scan(ReadOnlySpan<byte> data)
    {
        var i = 0;
        while (i < data.Length)
        {
            switch (_state)
            {
                case State.Quoted:
                    var quote = data[i..].IndexOf((byte)'"');
                    if (quote < 0)
                    {
                        i = data.Length;
                        break;
                    }

                    i += quote + 1;
                    _state = State.QuoteInQuoted;
                    break;

                case State.QuoteInQuoted:
                    if (data[i] == (byte)'"')
                    {
                        _state = State.Quoted;
                        i++;
                        break;
                    }

                    // The quoted field is closed: this byte is read again outside it.
                    _state = State.Outside;
                    break;

                default:
                    var stop = data[i..].IndexOfAny((byte)'"', (byte)'\n', (byte)'\r');
                    if (stop < 0)
                    {
                        i = data.Length;
                        break;
                    }

                    i += stop;
                    if (data[i] == (byte)'\n')
                    {
                        _previous = (byte)'\n';
                        return i + 1;
                    }

                    if (data[i] == (byte)'"')
                    {
                        // CsvHelper ends a record at a lone CR too, so a quote after one starts a field.
                        var before = i > 0 ? data[i - 1] : _previous;
                        if (before == delimiter || before == (byte)'\n' || before == (byte)'\r')
                        {
                            _state = State.Quoted;
                        }
                    }

                    i++;
                    break;
            }
        }

        if (data.Length > 0)
        {
            _previous = data[^1];
        }

        return 0;
    }
}
