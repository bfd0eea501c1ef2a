using System.Text;

namespace Pipeline.Tests.Support;

/// <summary>
/// A strict RFC 4180 reader, independent of CsvHelper (which writes our CSV), to check what we write: records end
/// at LF or CR LF; a CR anywhere else, a quote in an unquoted field or text after a closing quote is an error, not
/// something to guess around. Blank lines are not skipped: an empty line is a record of one empty field.
/// </summary>
public static class Rfc4180Reader
{
    public static List<string[]> Read(string text, char delimiter = ',')
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"')
            {
                i++;
                while (true)
                {
                    var quote = text.IndexOf('"', i);
                    if (quote < 0)
                    {
                        throw new FormatException($"record {records.Count + 1}: unterminated quoted field");
                    }

                    field.Append(text, i, quote - i);
                    i = quote + 1;
                    if (i < text.Length && text[i] == '"')
                    {
                        field.Append('"');
                        i++;
                        continue;
                    }

                    break;
                }
            }
            else
            {
                while (i < text.Length && text[i] != delimiter && text[i] != '\n' && !(text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n'))
                {
                    if (text[i] is '"' or '\r')
                    {
                        throw new FormatException($"record {records.Count + 1}: {(text[i] == '"' ? "a quote" : "a lone CR")} in an unquoted field at offset {i}");
                    }

                    field.Append(text[i]);
                    i++;
                }
            }

            fields.Add(field.ToString());
            field.Clear();
            if (i == text.Length)
            {
                break;
            }

            if (text[i] == delimiter)
            {
                i++;
                if (i == text.Length)
                {
                    fields.Add(string.Empty);
                }

                continue;
            }

            if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                i++;
            }

            if (text[i] != '\n')
            {
                throw new FormatException($"record {records.Count + 1}: '{text[i]}' after a closing quote at offset {i}");
            }

            i++;
            records.Add([.. fields]);
            fields.Clear();
        }

        if (fields.Count > 0)
        {
            records.Add([.. fields]);
        }

        return records;
    }
}
