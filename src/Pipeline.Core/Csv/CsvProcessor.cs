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

/// <summary>
/// Processes one CSV file as its bytes arrive. Each chunk is taken record by record; only the unfinished record at
/// its end is held for the next chunk (<see cref="CsvRecordScanner"/> following it), so memory does not depend on the
/// file's size. A plain record (one line, no CR but a final CR LF's, every quote where RFC 4180 puts one) is read
/// straight from its UTF-8 bytes (<see cref="CsvRecordFields"/>): its fields are split, the tested ones compared
/// (a number parsed from the bytes), the selected ones copied to the output, nothing allocated. The header and
/// every other record (lone CRs, line breaks inside quotes, quotes out of place) go to one CsvHelper
/// <see cref="CsvParser"/> for the whole file, the record's bytes decoded as it reads them (<see cref="Utf8LentReader"/>).
/// Each row is checked (field count, UTF-8, quotes), filtered, projected and written as CSV
/// (<see cref="CsvRowWriter"/>) or JSON Lines (<see cref="JsonLinesRowWriter"/>).
/// </summary>
/// <remarks>
/// For the records CsvHelper reads, only the fields a row needs become strings: those tested and written. The row's
/// bytes, found beside the parser by line (<see cref="NextLine"/>), give its starting line, its UTF-8 check and, for
/// a bad row, its raw text. Both ways give the same fields, bad rows and lines (the tests compare them on random files).
/// </remarks>
internal sealed partial class CsvProcessor : IFileProcessor
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly CsvTransformOptions _options;
    private readonly IReadOnlyList<CsvCondition> _conditions;
    private readonly PooledBufferWriter _pending = new();
    private readonly Utf8LentReader _reader = new();
    private readonly CsvParser _parser;
    private readonly BadRowRecorder _badRows;
    private readonly byte _delimiter;
    private readonly bool _plainRecords;
    private CsvRecordScanner _scanner;
    private long _nextLine = 1;
    private bool _started;
    private bool _discarding;
    private bool _badData;
    private CsvColumns? _columns;
    private (int Index, CsvCondition Condition)[] _filters = [];
    private string[] _selectedText = [];
    private int[] _fieldStarts = [];
    private long _rowsRead;
    private long _rowsWritten;
    private bool _watchNumbers;
    private List<CsvCondition>? _numbersComparedAsText;

    // One of the two, made with the columns; two sealed fields rather than an interface, so a row costs no virtual call.
    private CsvRowWriter? _csvRows;
    private JsonLinesRowWriter? _jsonRows;

    /// <param name="options">The transform's settings.</param>
    /// <param name="conditions">Its parsed conditions.</param>
    /// <param name="file">The file processed.</param>
    /// <param name="plainRecords">Whether plain records are read from their bytes (<see cref="TryTakePlain"/>); without, CsvHelper reads every record, which the tests compare with.</param>
    public CsvProcessor(CsvTransformOptions options, IReadOnlyList<CsvCondition> conditions, SourceFile file, bool plainRecords = true)
    {
        _plainRecords = plainRecords;
        _options = options;
        _conditions = conditions;
        _badRows = new BadRowRecorder(file.RelativePath, options.BadRows);
        _delimiter = (byte)options.Delimiter;
        _scanner = new CsvRecordScanner(_delimiter);
        _parser = new CsvParser(_reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = options.Delimiter.ToString(),
            HasHeaderRecord = false,
            IgnoreBlankLines = true,
            BadDataFound = _ => _badData = true,
            MissingFieldFound = null,
            CacheFields = false,
            BufferSize = 16 * 1024,
        });
    }

    public void Append(ReadOnlySpan<byte> chunk, IBufferWriter<byte> output)
    {
        if (!_started)
        {
            _started = true;
            if (chunk.StartsWith("\uFEFF"u8))
            {
                chunk = chunk[3..];
            }
        }

        if (_discarding || _pending.WrittenCount > 0)
        {
            // The rest of a record begun in an earlier chunk, up to its end: the scanner has followed it from its start.
            var first = _scanner.Scan(chunk);
            if (first == 0)
            {
                if (_discarding)
                {
                    // Skipping the rest of an over-long record: count its lines, keep nothing.
                    _nextLine += TextLines.CountBreaks(chunk);
                    return;
                }

                _pending.Write(chunk);
                CheckPendingLength();
                return;
            }

            if (_discarding)
            {
                _nextLine += TextLines.CountBreaks(chunk[..first]);
                _discarding = false;
            }
            else
            {
                _pending.Write(chunk[..first]);
                ParseRecords(_pending.WrittenSpan, atEnd: true, output);
                _pending.Clear();
            }

            chunk = chunk[first..];
        }

        var rest = chunk[ParseRecords(chunk, atEnd: false, output)..];
        if (rest.Length > 0)
        {
            // An unfinished record: held for the next chunk, the scanner following it from its start.
            _pending.Write(rest);
            _scanner = new CsvRecordScanner(_delimiter);
            _scanner.Scan(rest);
            CheckPendingLength();
        }
    }

    public object? Complete(IBufferWriter<byte> output)
    {
        var rest = _pending.WrittenSpan;
        if (!_discarding && rest.Length > 0)
        {
            if (_scanner.InQuotes)
            {
                _rowsRead++;
                _badRows.Record(_nextLine, "unterminated quoted field", Utf8NoBom.GetString(rest[..Math.Min(rest.Length, BadRow.MaxRawLength * 4)]).TrimEnd('\r', '\n'));
            }
            else
            {
                ParseRecords(rest, atEnd: true, output);
            }
        }

        _pending.Clear();
        if (_columns is null && _options.HasHeader)
        {
            throw new InvalidDataException("empty file: no header row");
        }

        return new CsvFileOutcome(_rowsRead, _rowsWritten, _badRows.Rows) { NumbersComparedAsText = _numbersComparedAsText ?? [] };
    }

    public void Dispose()
    {
        _pending.Dispose();
        _parser.Dispose();
        _jsonRows?.Dispose();
    }

    /// <summary>The start of the line after the one <paramref name="start"/> is on (a line ends at CR LF, a lone CR or LF), or the end.</summary>
    private static int NextLine(ReadOnlySpan<byte> bytes, int start)
    {
        var end = bytes[start..].IndexOfAny((byte)'\r', (byte)'\n');
        if (end < 0)
        {
            return bytes.Length;
        }

        end += start;
        return end + (bytes[end] == (byte)'\r' && end + 1 < bytes.Length && bytes[end + 1] == (byte)'\n' ? 2 : 1);
    }

    /// <summary>A record held back longer than the limit is listed as bad and skipped up to its end.</summary>
    private void CheckPendingLength()
    {
        var rest = _pending.WrittenSpan;
        if (rest.Length <= _options.MaxRecordBytes)
        {
            return;
        }

        if (_columns is null)
        {
            // Without its first record the file has no columns: skipping it would make the next record the header.
            throw new InvalidDataException($"line {_nextLine}: the first record is longer than {_options.MaxRecordBytes} bytes (an unterminated quoted field?)");
        }

        _rowsRead++;
        _badRows.Record(_nextLine, $"record longer than {_options.MaxRecordBytes} bytes (an unterminated quoted field?)", Utf8NoBom.GetString(rest[..Math.Min(rest.Length, BadRow.MaxRawLength * 4)]));
        _nextLine += TextLines.CountBreaks(rest);
        _pending.Clear();
        _discarding = true;
    }

    /// <summary>
    /// Takes the whole records at the start of <paramref name="data"/> (which starts a record), each read from its bytes
    /// when it is a plain one (<see cref="TryTakePlain"/>), by CsvHelper otherwise; returns the length taken. With
    /// <paramref name="atEnd"/>, <paramref name="data"/> ends where a record ends (or the file does) and is taken whole.
    /// </summary>
    private int ParseRecords(ReadOnlySpan<byte> data, bool atEnd, IBufferWriter<byte> output)
    {
        var lastBreak = data.LastIndexOf((byte)'\n');
        var validUtf8 = Utf8.IsValid(data[..(lastBreak + 1)]) && (!atEnd || Utf8.IsValid(data[(lastBreak + 1)..]));
        var at = 0;
        while (at < data.Length)
        {
            var rest = data[at..];
            var lineEnd = rest.IndexOf((byte)'\n');
            if (lineEnd < 0 && !atEnd)
            {
                break;
            }

            var length = lineEnd < 0 ? rest.Length : lineEnd + 1;
            if (!_plainRecords || _columns is null || !TryTakePlain(rest[..length], validUtf8, output))
            {
                // The header, or a record CsvHelper must read: up to its true end, which may lie past this line.
                var scanner = new CsvRecordScanner(_delimiter);
                length = scanner.Scan(rest);
                if (length == 0)
                {
                    if (!atEnd)
                    {
                        break;
                    }

                    length = rest.Length;
                }

                ParseWithCsvHelper(rest[..length], output);
            }

            at += length;
        }

        return at;
    }
}
