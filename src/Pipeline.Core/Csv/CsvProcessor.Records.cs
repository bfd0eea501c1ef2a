using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using CsvHelper;
using CsvHelper.Configuration;
using Pipeline.IO;
using Pipeline.Sources;
using Pipeline.Transforms;

namespace Pipeline.Csv;

/// <summary>A CSV file's processing, continued: how one record is taken, from its bytes or by CsvHelper, then checked, filtered and written.</summary>
internal sealed partial class CsvProcessor
{
    /// <summary>
    /// Takes <paramref name="record"/> (one line, with its line end) from its bytes if CsvHelper would read it no
    /// differently: no CR but the one of a CR LF, every quote well placed. Returns false, having done nothing, otherwise.
    /// </summary>
    private bool TryTakePlain(ReadOnlySpan<byte> record, bool validUtf8, IBufferWriter<byte> output)
    {
        var content = record;
        if (content.Length > 0 && content[^1] == (byte)'\n')
        {
            content = content[..^1];
            if (content.Length > 0 && content[^1] == (byte)'\r')
            {
                content = content[..^1];
            }
        }

        var special = content.IndexOfAny((byte)'"', (byte)'\r');
        if (special >= 0 && (content[special] == (byte)'\r' || content[special..].Contains((byte)'\r') || !CsvRecordScanner.HasWellFormedQuotes(content, _delimiter)))
        {
            return false;
        }

        if (content.IsEmpty)
        {
            _nextLine++;
            return true; // a blank line, which CsvHelper skips
        }

        var columnCount = _columns!.Names.Length;
        var row = CsvRecordFields.Split(content, _delimiter, _fieldStarts);
        if (row.Count < columnCount && _options.PadShortRows)
        {
            return false; // padded where CsvHelper reads it (Take), the one place rows are padded
        }

        var line = _nextLine++;
        _rowsRead++;
        var reason = !validUtf8 && !Utf8.IsValid(content) ? "invalid UTF-8"
            : row.Count != columnCount ? string.Create(CultureInfo.InvariantCulture, $"{row.Count} fields, expected {columnCount}")
            : null;
        if (reason is not null)
        {
            _badRows.Record(line, reason, Utf8NoBom.GetString(content));
            return true;
        }

        foreach (var (index, condition) in _filters)
        {
            var quoted = row.HasQuote(index);
            if (_watchNumbers && condition.OrdersByText && (quoted ? CsvCondition.IsNumber(row.GetString(index)) : CsvCondition.IsNumber(row.Escaped(index))))
            {
                ComparedAsText(condition);
            }

            if (!(quoted ? condition.IsMetBy(row.GetString(index)) : condition.IsMetBy(row.Escaped(index))))
            {
                return true;
            }
        }

        if (_csvRows is not null)
        {
            _csvRows.WriteRow(output, row);
        }
        else
        {
            for (var i = 0; i < _selectedText.Length; i++)
            {
                _selectedText[i] = row.GetString(_columns.Selected[i]);
            }

            _jsonRows!.WriteRow(output, _selectedText);
        }

        _rowsWritten++;
        return true;
    }

    /// <summary>
    /// Parses whole records: <paramref name="records"/> ends at a record's end, or is the end of the file. The parser
    /// reads it through to its end, which it takes for the end of its input; it goes on with the next bytes lent.
    /// </summary>
    private unsafe void ParseWithCsvHelper(ReadOnlySpan<byte> records, IBufferWriter<byte> output)
    {
        var firstLine = _nextLine;
        var validUtf8 = Utf8.IsValid(records);

        // The parser counts physical lines (RawRow) over the whole file, plus one each time it reaches the end of what
        // it was lent; counted from here, a record's RawRow is the number of its last line within these bytes. Int
        // arithmetic wraps like the parser's own counter, so the difference stays right past 2^31 lines.
        var rowsBefore = _parser.RawRow;
        var line = firstLine;
        var at = 0;
        fixed (byte* start = records)
        {
            _reader.Lend(start, records.Length);
            try
            {
                while (_parser.Read())
                {
                    var lastLine = firstLine + unchecked(_parser.RawRow - rowsBefore) - 1;

                    // Blank lines before the record (the parser skips them), then its own lines.
                    while (line < lastLine && at < records.Length && records[at] is (byte)'\r' or (byte)'\n')
                    {
                        at = NextLine(records, at);
                        line++;
                    }

                    var recordStart = at;
                    var startLine = line;
                    for (; line <= lastLine && at < records.Length; line++)
                    {
                        at = NextLine(records, at);
                    }

                    Take(records[recordStart..at], startLine, validUtf8, output);
                }
            }
            finally
            {
                _reader.Return();
            }
        }

        _nextLine = line + TextLines.CountBreaks(records[at..]);
    }

    /// <summary>Checks, filters and writes the record the parser has just read; <paramref name="bytes"/> are its bytes.</summary>
    private void Take(ReadOnlySpan<byte> bytes, long startLine, bool validUtf8, IBufferWriter<byte> output)
    {
        var invalidUtf8 = !validUtf8 && !Utf8.IsValid(bytes);
        _badData = false;
        if (_columns is null)
        {
            if (invalidUtf8 || bytes.Contains((byte)0))
            {
                throw new InvalidDataException($"line {startLine}: not a CSV text file (binary data or invalid UTF-8 in the first row)");
            }

            StartColumns(_parser.Record!, output);
            if (_options.HasHeader)
            {
                return;
            }
        }

        _rowsRead++;
        var columnCount = _columns!.Names.Length;
        var reason = invalidUtf8 ? "invalid UTF-8"
            : HasBadData(bytes) ? "a quote inside an unquoted field"
            : _parser.Count > columnCount || (_parser.Count < columnCount && !_options.PadShortRows) ? string.Create(CultureInfo.InvariantCulture, $"{_parser.Count} fields, expected {columnCount}")
            : null;
        if (reason is not null)
        {
            _badRows.Record(startLine, reason, Utf8NoBom.GetString(bytes).TrimEnd('\r', '\n'));
            return;
        }

        foreach (var (index, condition) in _filters)
        {
            var field = Field(index);
            if (_watchNumbers && condition.OrdersByText && CsvCondition.IsNumber(field))
            {
                ComparedAsText(condition);
            }

            if (!condition.IsMetBy(field))
            {
                return;
            }
        }

        if (_csvRows is not null)
        {
            _csvRows.WriteRow(output, _parser);
        }
        else
        {
            for (var i = 0; i < _selectedText.Length; i++)
            {
                _selectedText[i] = Field(_columns.Selected[i]);
            }

            _jsonRows!.WriteRow(output, _selectedText);
        }

        _rowsWritten++;
    }

    /// <summary>The current record's field at <paramref name="index"/>; empty past its end (a short row padded).</summary>
    private string Field(int index) => index < _parser.Count ? _parser[index] : string.Empty;

    /// <summary>Notes that <paramref name="condition"/> compared a field that is a number as text, once per file.</summary>
    private void ComparedAsText(CsvCondition condition)
    {
        _numbersComparedAsText ??= [];
        if (!_numbersComparedAsText.Contains(condition))
        {
            _numbersComparedAsText.Add(condition);
        }
    }

    /// <summary>
    /// Whether CsvHelper finds bad data (a quote out of place) in the current record. It tells only when a field is
    /// made a string, so a record whose quotes are all well placed is passed without making any.
    /// </summary>
    private bool HasBadData(ReadOnlySpan<byte> bytes)
    {
        if (CsvRecordScanner.HasWellFormedQuotes(bytes, _delimiter))
        {
            return false;
        }

        // Fields made strings already (the first record's, for its columns) told when they were made.
        for (var i = 0; i < _parser.Count; i++)
        {
            _ = _parser[i];
        }

        return _badData;
    }

    private void StartColumns(string[] first, IBufferWriter<byte> output)
    {
        var columns = _columns = CsvColumns.Resolve(first, _options, _conditions);
        _filters = columns.Filters;
        _watchNumbers = _filters.Any(f => f.Condition.OrdersByText);
        _fieldStarts = new int[columns.Names.Length + 1];
        if (_options.To == CsvOutputFormat.Jsonl)
        {
            _jsonRows = new JsonLinesRowWriter(columns.Names, columns.Selected, _options.InferTypes);
            _selectedText = new string[columns.Selected.Length];
            return;
        }

        _csvRows = new CsvRowWriter(columns.Selected, _options.OutputDelimiter ?? _options.Delimiter);
        if (_options.HasHeader)
        {
            _csvRows.WriteHeader(output, columns.Names);
        }
    }
}
