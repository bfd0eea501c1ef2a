using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.Csv;

/// <summary>
/// Writes each row as one JSON object per line, its selected fields keyed by unique property names
/// (<see cref="PropertyNames"/>), as strings or, with type inference, as numbers, booleans and null.
/// </summary>
internal sealed class JsonLinesRowWriter : IDisposable
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly JsonEncodedText[] _jsonNames;
    private readonly int[] _selected;
    private readonly bool _inferTypes;
    private Utf8JsonWriter? _jsonWriter;

    public JsonLinesRowWriter(string[] columns, int[] selected, bool inferTypes)
    {
        _selected = selected;
        _inferTypes = inferTypes;
        _jsonNames = [.. PropertyNames(columns).Select(n => JsonEncodedText.Encode(n, JsonOptions.Encoder))];
    }

    /// <summary>Writes a record's selected fields, <paramref name="values"/> in the selection's order, as one line to <paramref name="output"/>.</summary>
    public void WriteRow(IBufferWriter<byte> output, string[] values)
    {
        var json = _jsonWriter ??= new Utf8JsonWriter(output, JsonOptions);
        json.Reset(output);
        json.WriteStartObject();
        for (var i = 0; i < _selected.Length; i++)
        {
            json.WritePropertyName(_jsonNames[_selected[i]]);
            var value = values[i];
            if (!_inferTypes)
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
        output.Write("\n"u8);
    }

    public void Dispose() => _jsonWriter?.Dispose();

    /// <summary>
    /// The JSON Lines property name of each column, unique so that no object has a key twice: the first column of a
    /// name keeps it, the n-th becomes <c>name_n</c>, and a column with an empty name becomes <c>column_N</c> (N its
    /// 1-based position); a generated name the header already has, or that an earlier column got, takes the next
    /// free number instead (<c>name_3</c>, or <c>column_N_2</c>).
    /// </summary>
    internal static string[] PropertyNames(IReadOnlyList<string> header)
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
