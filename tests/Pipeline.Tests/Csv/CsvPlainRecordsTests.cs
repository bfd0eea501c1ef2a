using System.Text;
using Pipeline.Csv;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Csv;

/// <summary>
/// Plain records are read from their bytes, the rest by CsvHelper: on random files full of quotes, delimiters, CRs,
/// blank lines, numbers and invalid UTF-8, cut into random chunks, the output, the counts and every bad row are the
/// same as when CsvHelper reads every record.
/// </summary>
public sealed class CsvPlainRecordsTests
{
    // Pieces a field is made of: the rare ones (CR, LF, quotes, invalid bytes) often enough to meet each other.
    private static readonly string[] Pieces =
    [
        "1", "5", "07", "600", "-3", ".5", "1e3", " 2 ", "NaN", "abc", "Zürich", "😀", "\u00FF", " ",
        ",", ";", "\"", "\"\"", "\r", "\n", "\r\n", "+", "Infinity", "\0",
    ];

    public static TheoryData<string, char, char?, string[], bool> Settings => new()
    {
        { "number filter", ',', null, ["a>500"], false },
        { "string filter and other output delimiter", ',', ';', ["b<m", "a!=7"], false },
        { "regex filter, semicolons", ';', ',', ["b~^[a-z]"], false },
        { "equality, jsonl", ',', null, ["a=5"], true },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void Append_RandomFilesAndChunks_SameAsCsvHelperReadingEveryRecord(string name, char delimiter, char? outputDelimiter, string[] where, bool jsonl)
    {
        var options = new CsvTransformOptions
        {
            Delimiter = delimiter,
            OutputDelimiter = jsonl ? null : outputDelimiter,
            Select = ["c", "a", "b"],
            Where = where,
            To = jsonl ? CsvOutputFormat.Jsonl : CsvOutputFormat.Csv,
        };
        var random = new Random(15);
        for (var file = 0; file < 300; file++)
        {
            var bytes = RandomFile(random, delimiter);
            int[] cuts = [.. Enumerable.Range(0, random.Next(4)).Select(_ => random.Next(3, bytes.Length + 1)).Order()];

            var expected = Run(bytes, cuts, options, plainRecords: false);
            var actual = Run(bytes, cuts, options, plainRecords: true);

            Assert.True(expected == actual, $"{name}, file {file} ({Encoding.UTF8.GetString(bytes)}), cuts {string.Join(' ', cuts)}:\n{expected}\n{actual}");
        }
    }

    [Fact]
    public void Append_PlainRecords_FieldsAsCsvHelperReadsThem()
    {
        var bytes = Encoding.UTF8.GetBytes("a,b,c\r\n1,\"x,\"\"y\"\"\",\" z \"\r\n\r\n600,\"\",\n2,\"\"\"\",q\"\n700,é😀,\"a\nb\"\n");
        var options = new CsvTransformOptions { Select = ["c", "b"], Where = ["a>500"] };

        var result = Run(bytes, [], options, plainRecords: true);

        Assert.Equal(
            "c,b\n,\n\"a\nb\",é😀\n|read 4, written 2|5:a quote inside an unquoted field:2,\"\"\"\",q\";",
            result);
        Assert.Equal(Run(bytes, [], options, plainRecords: false), result);
    }

    private static byte[] RandomFile(Random random, char delimiter)
    {
        var text = new StringBuilder($"a{delimiter}b{delimiter}c\n");
        var rows = random.Next(1, 12);
        for (var row = 0; row < rows; row++)
        {
            var fields = random.Next(10) == 0 ? random.Next(1, 5) : 3;
            for (var field = 0; field < fields; field++)
            {
                if (field > 0)
                {
                    text.Append(delimiter);
                }

                var quoted = random.Next(4) == 0;
                var value = string.Concat(Enumerable.Range(0, random.Next(3)).Select(_ => Pieces[random.Next(random.Next(3) == 0 ? Pieces.Length : 14)]));
                text.Append(quoted ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value);
            }

            text.Append(random.Next(5) switch { 0 => "\r\n", 1 => "\n\n", _ => "\n" });
        }

        return CsvFeed.WithInvalidBytes(text.ToString());
    }

    private static string Run(byte[] bytes, int[] cuts, CsvTransformOptions options, bool plainRecords)
    {
        var transform = new CsvTransform(options);
        using var processor = new CsvProcessor(transform.Options, [.. options.Where.Select(CsvCondition.Parse)], new SourceFile("x.csv", "/x.csv", bytes.Length, DateTime.UnixEpoch), plainRecords);
        return CsvFeed.Outcome(processor, bytes, cuts);
    }
}
