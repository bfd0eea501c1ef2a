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
/// Processes one CSV file as its bytes arrive: whole records are cut off with <see cref="CsvRecordScanner"/>,
/// parsed by CsvHelper, checked (field count, UTF-8, quotes), filtered, projected and written as CSV
/// (<see cref="CsvRowWriter"/>) or JSON Lines (<see cref="JsonLinesRowWriter"/>).
/// Only the unfinished last record is held between chunks, so memory does not depend on the file's size.
/// </summary>
internal sealed class CsvProcessor : IFileProcessor
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly CsvTransformOptions _options;
    private readonly IReadOnlyList<CsvCondition> _conditions;
    private readonly PooledBufferWriter _pending = new();
    private readonly CsvConfiguration _readConfig;
    private readonly BadRowRecorder _badRows;
    private CsvRecordScanner _scanner;
    private int _scanned;
    private long _nextLine = 1;
    private bool _started;
    private bool _discarding;
    private bool _badData;
    private CsvColumns? _columns;
    private long _rowsRead;
    private long _rowsWritten;
    private IBufferWriter<byte>? _output;

    // One of the two, made with the columns; two sealed fields rather than an interface, so a row costs no virtual call.
    private CsvRowWriter? _csvRows;
    private JsonLinesRowWriter? _jsonRows;

    public CsvProcessor(CsvTransformOptions options, IReadOnlyList<CsvCondition> conditions, SourceFile file)
    {
        _options = options;
        _conditions = conditions;
        _badRows = new BadRowRecorder(file.RelativePath, options.BadRows);
        _scanner = new CsvRecordScanner((byte)options.Delimiter);
        _readConfig = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = options.Delimiter.ToString(),
            HasHeaderRecord = false,
            IgnoreBlankLines = true,
            BadDataFound = _ => _badData = true,
            MissingFieldFound = null,
            CacheFields = false,
        };
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

        _pending.Write(chunk);
        Process(output, final: false);
    }

    public object? Complete(IBufferWriter<byte> output)
    {
        Process(output, final: true);
        if (_columns is null && _options.HasHeader)
        {
            throw new InvalidDataException("empty file: no header row");
        }

        return new CsvFileOutcome(_rowsRead, _rowsWritten, _badRows.Rows);
    }

    public void Dispose()
    {
        _pending.Dispose();
        _csvRows?.Dispose();
        _jsonRows?.Dispose();
    }

    private void Process(IBufferWriter<byte> output, bool final)
    {
        _output = output;
        _csvRows?.SetOutput(output);
        _jsonRows?.SetOutput(output);
        while (true)
        {
            var data = _pending.WrittenSpan;
            var boundary = _scanned < data.Length ? _scanner.Scan(data[_scanned..]) : 0;
            if (boundary > 0)
            {
                boundary += _scanned;
            }

            _scanned = data.Length;
            if (_discarding)
            {
                // Skipping the rest of an over-long record: count its lines, keep nothing.
                var skip = boundary > 0 ? boundary : data.Length;
                _nextLine += TextLines.CountBreaks(data[..skip]);
                _pending.RemovePrefix(skip);
                _scanned -= skip;
                _discarding = boundary == 0;
                if (_discarding)
                {
                    break;
                }

                continue;
            }

            if (boundary > 0)
            {
                ParseRecords(_pending.WrittenSpan[..boundary]);
                _pending.RemovePrefix(boundary);
                _scanned -= boundary;
            }

            var rest = _pending.WrittenSpan;
            if (final && rest.Length > 0)
            {
                if (_scanner.InQuotes)
                {
                    _rowsRead++;
                    _badRows.Record(_nextLine, "unterminated quoted field", Utf8NoBom.GetString(rest[..Math.Min(rest.Length, BadRow.MaxRawLength * 4)]).TrimEnd('\r', '\n'));
                }
                else
                {
                    ParseRecords(rest);
                }

                _pending.Clear();
                _scanned = 0;
            }
            else if (rest.Length > _options.MaxRecordBytes)
            {
                _rowsRead++;
                _badRows.Record(_nextLine, $"record longer than {_options.MaxRecordBytes} bytes (an unterminated quoted field?)", Utf8NoBom.GetString(rest[..Math.Min(rest.Length, BadRow.MaxRawLength * 4)]));
                _discarding = true;
                continue;
            }

            break;
        }

        _csvRows?.Flush();
        _jsonRows?.Flush();
    }

    private void ParseRecords(ReadOnlySpan<byte> records)
    {
        var firstLine = _nextLine;
        var invalidLines = Utf8.IsValid(records) ? null : TextLines.WithInvalidUtf8(records, firstLine);
        using var parser = new CsvParser(new StringReader(Utf8NoBom.GetString(records)), _readConfig);
        long previousRawRow = 0;
        while (parser.Read())
        {
            _badData = false;
            var record = parser.Record!;
            // The raw text is built only when needed: a record that spans lines (or follows blank ones), the
            // header, and bad rows. Building it for every row cost a fifth of the time.
            var rawRow = parser.RawRow;
            string? raw = null;
            long innerBreaks = 0;
            if (rawRow - previousRawRow > 1)
            {
                raw = parser.RawRecord;
                innerBreaks = TextLines.CountBreaks(raw.AsSpan().TrimEnd("\r\n"));
            }

            previousRawRow = rawRow;
            var startLine = firstLine + rawRow - 1 - innerBreaks;
            var hasInvalidUtf8 = invalidLines is not null && invalidLines.Any(l => l >= startLine && l <= startLine + innerBreaks);
            if (_columns is null)
            {
                raw ??= parser.RawRecord;
                if (hasInvalidUtf8 || raw.Contains('\0', StringComparison.Ordinal))
                {
                    throw new InvalidDataException($"line {startLine}: not a CSV text file (binary data or invalid UTF-8 in the first row)");
                }

                StartColumns(record);
                if (_options.HasHeader)
                {
                    continue;
                }
            }

            _rowsRead++;
            var columnCount = _columns!.Names.Length;
            var reason = hasInvalidUtf8 ? "invalid UTF-8"
                : _badData ? "a quote inside an unquoted field"
                : record.Length != columnCount ? $"{record.Length} fields, expected {columnCount}"
                : null;
            if (reason is not null)
            {
                _badRows.Record(startLine, reason, (raw ?? parser.RawRecord).TrimEnd('\r', '\n'));
                continue;
            }

            if (Array.TrueForAll(_columns.Filters, f => f.Condition.IsMetBy(record[f.Index])))
            {
                if (_csvRows is not null)
                {
                    _csvRows.WriteRow(record);
                }
                else
                {
                    _jsonRows!.WriteRow(record);
                }

                _rowsWritten++;
            }
        }

        _nextLine = firstLine + TextLines.CountBreaks(records);
    }

    private void StartColumns(string[] first)
    {
        var columns = _columns = CsvColumns.Resolve(first, _options, _conditions);
        if (_options.To == CsvOutputFormat.Jsonl)
        {
            _jsonRows = new JsonLinesRowWriter(_output!, columns.Names, columns.Selected, _options.InferTypes);
            return;
        }

        _csvRows = new CsvRowWriter(_output!, columns.Selected, _options.OutputDelimiter ?? _options.Delimiter);
        if (_options.HasHeader)
        {
            _csvRows.WriteHeader(columns.Names);
        }
    }
}
