using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using CsvHelper;
using CsvHelper.Configuration;
using Pipeline.IO;
using Pipeline.Sources;
using Pipeline.Transforms;

namespace Pipeline.Csv;

/// <summary>
/// Processes one CSV file as its bytes arrive: whole records are cut off with <see cref="CsvRecordScanner"/>,
/// parsed by CsvHelper, checked (field count, UTF-8, quotes), filtered, projected and written as CSV or JSON Lines.
/// Only the unfinished last record is held between chunks, so memory does not depend on the file's size.
/// </summary>
internal sealed class CsvProcessor : IFileProcessor
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly CsvTransformOptions _options;
    private readonly IReadOnlyList<CsvCondition> _conditions;
    private readonly SourceFile _file;
    private readonly PooledBufferWriter _pending = new();
    private readonly CsvConfiguration _readConfig;
    private readonly List<BadRow> _badRows = [];
    private readonly BufferWriterStream _outputStream = new();
    private CsvRecordScanner _scanner;
    private int _scanned;
    private long _nextLine = 1;
    private bool _started;
    private bool _discarding;
    private bool _badData;
    private string[]? _columns;
    private int[] _selected = [];
    private (int Index, CsvCondition Condition)[] _filters = [];
    private JsonEncodedText[] _jsonNames = [];
    private long _rowsRead;
    private long _rowsWritten;
    private StreamWriter? _textWriter;
    private CsvWriter? _csvWriter;
    private Utf8JsonWriter? _jsonWriter;

    public CsvProcessor(CsvTransformOptions options, IReadOnlyList<CsvCondition> conditions, SourceFile file)
    {
        _options = options;
        _conditions = conditions;
        _file = file;
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

        return new CsvFileOutcome(_rowsRead, _rowsWritten, _badRows);
    }

    public void Dispose()
    {
        _pending.Dispose();
        _csvWriter?.Dispose();
        _textWriter?.Dispose();
        _jsonWriter?.Dispose();
    }

    private void Process(IBufferWriter<byte> output, bool final)
    {
        _outputStream.Target = output;
        _jsonWriter?.Reset(output);
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
                _nextLine += LineBreaks(data[..skip]);
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
                    Bad(_nextLine, "unterminated quoted field", Utf8NoBom.GetString(rest[..Math.Min(rest.Length, BadRow.MaxRawLength * 4)]).TrimEnd('\r', '\n'));
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
                Bad(_nextLine, $"record longer than {_options.MaxRecordBytes} bytes (an unterminated quoted field?)", Utf8NoBom.GetString(rest[..Math.Min(rest.Length, BadRow.MaxRawLength * 4)]));
                _discarding = true;
                continue;
            }

            break;
        }

        _csvWriter?.Flush();
        _textWriter?.Flush();
        _jsonWriter?.Flush();
    }

    private void ParseRecords(ReadOnlySpan<byte> records)
    {
        var firstLine = _nextLine;
        var invalidLines = Utf8.IsValid(records) ? null : FindInvalidLines(records, firstLine);
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
                innerBreaks = LineBreaks(raw.AsSpan().TrimEnd("\r\n"));
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
            var reason = hasInvalidUtf8 ? "invalid UTF-8"
                : _badData ? "a quote inside an unquoted field"
                : record.Length != _columns!.Length ? $"{record.Length} fields, expected {_columns.Length}"
                : null;
            if (reason is not null)
            {
                Bad(startLine, reason, (raw ?? parser.RawRecord).TrimEnd('\r', '\n'));
                continue;
            }

            if (Array.TrueForAll(_filters, f => f.Condition.IsMetBy(record[f.Index])))
            {
                WriteRow(record);
                _rowsWritten++;
            }
        }

        _nextLine = firstLine + LineBreaks(records);
    }

    private void StartColumns(string[] first)
    {
        _columns = _options.HasHeader ? first : [.. Enumerable.Range(1, first.Length).Select(i => i.ToString(CultureInfo.InvariantCulture))];
        _selected = _options.Select.Count == 0
            ? [.. Enumerable.Range(0, _columns.Length)]
            : [.. _options.Select.Select(name => ColumnIndex(name, "in the selection"))];
        _filters = [.. _conditions.Select(c => (ColumnIndex(c.Column, $"in the condition '{c}'"), c))];
        if (_options.To == CsvOutputFormat.Jsonl)
        {
            _jsonNames = [.. JsonPropertyNames(_columns).Select(n => JsonEncodedText.Encode(n, JsonOptions.Encoder))];
            _jsonWriter = new Utf8JsonWriter(_outputStream.Target!, JsonOptions);
            return;
        }

        _textWriter = new StreamWriter(_outputStream, Utf8NoBom, bufferSize: 64 * 1024, leaveOpen: true);
        _csvWriter = new CsvWriter(_textWriter, CsvFieldQuoting.WriterConfiguration(_options.OutputDelimiter ?? _options.Delimiter, singleColumn: _selected.Length == 1));
        if (_options.HasHeader)
        {
            foreach (var index in _selected)
            {
                _csvWriter.WriteField(_columns[index]);
            }

            _csvWriter.NextRecord();
        }
    }

    /// <summary>
    /// The position of column <paramref name="name"/>; <paramref name="usedWhere"/> says which setting names it
    /// ("in the selection"), in words that are the same for a library caller and a command-line user.
    /// </summary>
    private int ColumnIndex(string name, string usedWhere)
    {
        var index = Array.IndexOf(_columns!, name);
        if (index < 0)
        {
            var header = _options.HasHeader ? "the header is: " + string.Join(_options.Delimiter, _columns!) : $"the file has {_columns!.Length} columns, named 1 to {_columns.Length}";
            throw new InvalidDataException($"unknown column '{name}' {usedWhere}; {header}");
        }

        if (Array.IndexOf(_columns!, name, index + 1) >= 0)
        {
            // Taking the first silently would filter or project on a column the user may not have meant.
            var positions = Enumerable.Range(1, _columns!.Length).Where(i => _columns[i - 1] == name).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
            throw new InvalidDataException(
                $"column '{name}' {usedWhere} is ambiguous: the header has it {positions.Count} times (columns {string.Join(", ", positions[..^1])} and {positions[^1]})");
        }

        return index;
    }

    /// <summary>
    /// The JSON Lines property name of each column, unique so that no object has a key twice: the first column of a
    /// name keeps it, the n-th becomes <c>name_n</c>, and a column with an empty name becomes <c>column_N</c> (N its
    /// 1-based position); a generated name the header already has, or that an earlier column got, takes the next
    /// free number instead (<c>name_3</c>, or <c>column_N_2</c>).
    /// </summary>
    internal static string[] JsonPropertyNames(IReadOnlyList<string> header)
    {
        var inHeader = header.Where(n => n.Length > 0).ToHashSet(StringComparer.Ordinal);
        var given = new HashSet<string>(StringComparer.Ordinal);
        var occurrences = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new string[header.Count];
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i];
            var candidate = name;
            if (name.Length == 0)
            {
                name = candidate = "column_" + (i + 1).ToString(CultureInfo.InvariantCulture);
                if (inHeader.Contains(candidate) || given.Contains(candidate))
                {
                    candidate = FreeName(name, 2, inHeader, given);
                }
            }
            else
            {
                var occurrence = occurrences[name] = occurrences.GetValueOrDefault(name) + 1;
                if (occurrence > 1)
                {
                    candidate = FreeName(name, occurrence, inHeader, given);
                }
            }

            names[i] = candidate;
            given.Add(candidate);
        }

        return names;
    }

    private static string FreeName(string name, int number, HashSet<string> inHeader, HashSet<string> given)
    {
        while (true)
        {
            var candidate = name + "_" + number.ToString(CultureInfo.InvariantCulture);
            if (!inHeader.Contains(candidate) && !given.Contains(candidate))
            {
                return candidate;
            }

            number++;
        }
    }

    private void WriteRow(string[] record)
    {
        if (_csvWriter is not null)
        {
            foreach (var index in _selected)
            {
                _csvWriter.WriteField(record[index]);
            }

            _csvWriter.NextRecord();
            return;
        }

        var json = _jsonWriter!;
        json.WriteStartObject();
        foreach (var index in _selected)
        {
            json.WritePropertyName(_jsonNames[index]);
            var value = record[index];
            if (!_options.InferTypes)
            {
                json.WriteStringValue(value);
            }
            else if (value.Length == 0)
            {
                json.WriteNullValue();
            }
            else if (value is "true" or "false")
            {
                json.WriteBooleanValue(value == "true");
            }
            else if (IsJsonNumber(value))
            {
                json.WriteRawValue(value, skipInputValidation: true);
            }
            else
            {
                json.WriteStringValue(value);
            }
        }

        json.WriteEndObject();
        json.Flush();
        _outputStream.Target!.Write("\n"u8);
        json.Reset(_outputStream.Target!);
    }

    private void Bad(long line, string reason, string raw)
    {
        if (_options.BadRows == BadRowPolicy.Fail)
        {
            throw new InvalidDataException($"line {line}: {reason}");
        }

        _badRows.Add(new BadRow(_file.RelativePath, line, reason, raw.Length > BadRow.MaxRawLength ? raw[..BadRow.MaxRawLength] : raw));
    }

    /// <summary>Line breaks as a text editor (and CsvHelper) counts them: CR LF, a lone CR, or LF.</summary>
    private static long LineBreaks(ReadOnlySpan<byte> bytes) =>
        bytes.Count((byte)'\n') + bytes.Count((byte)'\r') - bytes.Count("\r\n"u8);

    private static long LineBreaks(ReadOnlySpan<char> text) =>
        text.Count('\n') + text.Count('\r') - text.Count("\r\n");

    private static List<long> FindInvalidLines(ReadOnlySpan<byte> bytes, long firstLine)
    {
        var invalid = new List<long>();
        var line = firstLine;
        while (bytes.Length > 0)
        {
            var end = bytes.IndexOfAny((byte)'\r', (byte)'\n');
            var content = end < 0 ? bytes : bytes[..end];
            if (!Utf8.IsValid(content))
            {
                invalid.Add(line);
            }

            if (end < 0)
            {
                break;
            }

            end += bytes[end] == (byte)'\r' && end + 1 < bytes.Length && bytes[end + 1] == (byte)'\n' ? 2 : 1;
            bytes = bytes[end..];
            line++;
        }

        return invalid;
    }

    /// <summary>Whether <paramref name="text"/> is a number in JSON's own grammar, so it can be written as is.</summary>
    private static bool IsJsonNumber(string text)
    {
        var s = text.AsSpan();
        var i = s.Length > 0 && s[0] == '-' ? 1 : 0;
        if (i >= s.Length || !char.IsAsciiDigit(s[i]))
        {
            return false;
        }

        // No leading zeros: "0" alone, or a digit 1-9 and more digits.
        i = s[i] == '0' ? i + 1 : SkipDigits(s, i);
        if (i < s.Length && s[i] == '.' && (i = SkipDigits(s, i + 1, required: true)) < 0)
        {
            return false;
        }

        if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
        {
            i++;
            if (i < s.Length && (s[i] == '+' || s[i] == '-'))
            {
                i++;
            }

            i = SkipDigits(s, i, required: true);
        }

        return i == s.Length;
    }

    /// <summary>The index after the digits starting at <paramref name="start"/>; -1 if <paramref name="required"/> and there are none.</summary>
    private static int SkipDigits(ReadOnlySpan<char> s, int start, bool required = false)
    {
        var i = start;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        return required && i == start ? -1 : i;
    }
}
