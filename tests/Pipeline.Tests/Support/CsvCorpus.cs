using System.Globalization;
using System.Text;

namespace Pipeline.Tests.Support;

/// <summary>
/// Writes CSV files row by row and remembers, without parsing anything, what each row holds, the physical
/// line it starts on and whether (and why) it is malformed: the independent reference the transform is checked against.
/// </summary>
public sealed class CsvCorpus
{
    private static readonly string[] Cities = ["Paris", "Berlin", "Zürich", "Kyōto", "São Paulo", "Oslo", "Lyon", "Москва"];
    private static readonly string[] Names = ["Alice", "Bob \"Bobby\" Jones", "Chloé, the first", "Dmitri\nsecond line", "Eve", "Ünal", "O'Brien", "Zoë\r\nCRLF inside"];

    public static readonly string[] Header = ["id", "timestamp", "name", "city", "amount", "quantity", "category", "note"];

    public List<ExpectedRow> Rows { get; } = [];

    public sealed record ExpectedRow(string File, long Line, string[] Fields, string? BadReason);

    /// <summary>Writes one file; every <paramref name="badEvery"/>th row is malformed in one of the ways the transform must catch.</summary>
    public void Write(string root, string relative, int rows, int seed, bool crlf, bool bom, int badEvery = 0, bool unterminatedAtEnd = false)
    {
        var random = new Random(seed);
        var newline = crlf ? "\r\n" : "\n";
        using var buffer = new MemoryStream();
        if (bom)
        {
            buffer.Write([0xEF, 0xBB, 0xBF]);
        }

        long line = 1;
        void Emit(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            buffer.Write(bytes);
        }

        Emit(string.Join(',', Header) + newline);
        line++;
        for (var i = 0; i < rows; i++)
        {
            var fields = new[]
            {
                (i + 1).ToString(CultureInfo.InvariantCulture),
                $"2026-01-{1 + (i % 28):D2}T{i % 24:D2}:00:00Z",
                Names[random.Next(Names.Length)],
                Cities[random.Next(Cities.Length)],
                (random.Next(0, 100_000) / 100.0).ToString("0.##", CultureInfo.InvariantCulture),
                random.Next(1, 10).ToString(CultureInfo.InvariantCulture),
                random.Next(3) == 0 ? "" : "cat" + random.Next(5),
                random.Next(4) == 0 ? "note with, comma and \"quote\"" : "",
            };
            var kind = badEvery > 0 && i % badEvery == badEvery - 1 ? (i / badEvery) % 4 : -1;
            string text;
            string? reason = null;
            switch (kind)
            {
                case 0:
                    text = string.Join(',', fields.Take(7).Select(Quote));
                    reason = "7 fields, expected 8";
                    break;
                case 1:
                    text = string.Join(',', fields.Append("extra").Select(Quote));
                    reason = "9 fields, expected 8";
                    break;
                case 2:
                    text = string.Join(',', fields.Select(Quote));
                    reason = "invalid UTF-8";
                    break;
                case 3:
                    text = string.Join(',', fields.Select((f, n) => n == 3 ? "Ly\"on" : Quote(f)));
                    reason = "a quote inside an unquoted field";
                    break;
                default:
                    text = string.Join(',', fields.Select(Quote));
                    break;
            }

            Rows.Add(new ExpectedRow(relative, line, fields, reason));
            var bytes = Encoding.UTF8.GetBytes(text + newline);
            if (kind == 2)
            {
                // A byte that is never valid UTF-8, in the unquoted id field.
                var withBad = new byte[bytes.Length + 1];
                withBad[0] = bytes[0];
                withBad[1] = 0xFF;
                bytes.AsSpan(1).CopyTo(withBad.AsSpan(2));
                bytes = withBad;
            }

            buffer.Write(bytes);
            line += LineBreaks(text + newline);
        }

        if (unterminatedAtEnd)
        {
            var text = $"{rows + 1},2026-01-01T00:00:00Z,\"never closed,Paris,900,1,x,{newline}{rows + 2},more,lines,Paris,1000,1,x,{newline}";
            Rows.Add(new ExpectedRow(relative, line, [], "unterminated quoted field"));
            Emit(text);
        }

        var full = Path.Join(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, buffer.ToArray());
    }

    /// <summary>RFC 4180 quoting, as any careful writer does it: quote a field with a comma, quote, CR or LF; double its quotes.</summary>
    public static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;

    public static long LineBreaks(string text) =>
        text.Count(c => c == '\n') + text.Count(c => c == '\r') - (long)CountOf(text, "\r\n");

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
