using System.Text.Unicode;

namespace Pipeline.Csv;

/// <summary>Line numbering as a text editor (and CsvHelper) does it: a line ends at CR LF, a lone CR, or LF.</summary>
internal static class TextLines
{
    /// <summary>The line breaks in <paramref name="bytes"/>.</summary>
    public static long CountBreaks(ReadOnlySpan<byte> bytes) =>
        bytes.Count((byte)'\n') + bytes.Count((byte)'\r') - bytes.Count("\r\n"u8);

    /// <summary>The line breaks in <paramref name="text"/>.</summary>
    public static long CountBreaks(ReadOnlySpan<char> text) =>
        text.Count('\n') + text.Count('\r') - text.Count("\r\n");

    /// <summary>The numbers of the lines holding invalid UTF-8, <paramref name="firstLine"/> being the number of the first.</summary>
    public static List<long> WithInvalidUtf8(ReadOnlySpan<byte> bytes, long firstLine)
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
}
