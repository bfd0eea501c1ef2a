using System.Text;
using Pipeline.Csv;
using Pipeline.Sources;
using Pipeline.Tests.Support;
using Pipeline.Transforms;

namespace Pipeline.Tests.Csv;

/// <summary>
/// One parser reads a whole file while its bytes come in chunks: wherever the chunks end (inside a record, a quoted
/// field, a CR LF or a UTF-8 character), the output, the counts and every bad row with its line are the same as
/// from the file in one piece.
/// </summary>
public sealed class CsvChunkingTests
{
    // A run's first chunk is a whole chunk (4 KiB at least) or the whole file, so it never cuts the 3 bytes of a BOM.
    private const int FirstCut = 3;

    /// <summary>Files with every kind of record boundary and trouble; U+00FF stands for the invalid byte 0xFF.</summary>
    public static TheoryData<string, string> Files => new()
    {
        { "plain", "id,name,amount\n1,a,600\n2,b,100\n3,c,700\n" },
        { "crlf and bom", "\uFEFFid,name,amount\r\n1,a,600\r\n2,b,100\r\n3,c,700" },
        { "lone cr", "id,name,amount\r1,a,600\r2,b\r3,c,700\r" },
        { "blank lines", "\n\nid,name,amount\n\n1,a,600\n\r\n\n2,b,100\n\n\n3,c,700\n\n" },
        { "quoted", "id,name,amount\n1,\"a, \"\"b\"\"\",600\n2,\"multi\nline\r\nfield\",700\n\"3\",c,\"800\"\n4,\"\",900\n" },
        { "bad quotes", "id,name,amount\n1,a\"b,600\n2,\"a\"b,700\n3,\"ok\"\"\",800\n4,\"x\"\"y\"z,900\n5,e,1000\n" },
        { "bad counts", "id,name,amount\n1,a\n2,b,700,extra\n\n3,c,800\n4\n" },
        { "utf-8", "id,name,amount\n1,Zürich 東京 😀,600\n2,\u00FFbad,700\n3,\"😀\n\u00FF\",800\n4,Москва,900\n" },
        { "unterminated at end", "id,name,amount\n1,a,600\n2,\"open,700\n3,c,800\n" },
        { "no final line break", "id,name,amount\n1,a,600\n2,\"b\nc\",700" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Append_AnySplitIntoTwoChunks_SameAsTheWholeFile(string name, string content)
    {
        var bytes = Bytes(content);
        var whole = Run(bytes, []);

        for (var cut = FirstCut; cut < bytes.Length; cut++)
        {
            Assert.True(whole == Run(bytes, [cut]), $"{name}: split at byte {cut} differs");
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Append_TinyChunks_SameAsTheWholeFile(string name, string content)
    {
        var bytes = Bytes(content);
        var whole = Run(bytes, []);

        for (var size = 1; size <= 7; size++)
        {
            Assert.True(whole == Run(bytes, [.. Enumerable.Range(1, bytes.Length / size).Select(i => FirstCut + (i * size))]), $"{name}: {size}-byte chunks differ");
        }
    }

    [Fact]
    public void Append_WholeFile_ListsEachBadRowOnItsPhysicalLine()
    {
        var result = Run(Bytes("\nid,name,amount\n1,a\"b,600\n\n2,\"multi\nline\",700\n3,\"x\"y,800\n4,\u00FF,900\n5\n6,\"open,1\n"), []);

        Assert.Equal(
            "id,name,amount\n2,\"multi\nline\",700\n|read 6, written 1|" +
            "3:a quote inside an unquoted field:1,a\"b,600;" +
            "7:a quote inside an unquoted field:3,\"x\"y,800;" +
            "8:invalid UTF-8:4,\uFFFD,900;" +
            "9:1 fields, expected 3:5;" +
            "10:unterminated quoted field:6,\"open,1;",
            result);
    }

    [Fact]
    public void Append_OverLongRecordThenWholeRecordsInTheSameChunk_ListsTheLongOneAndKeepsTheRest()
    {
        var options = new CsvTransformOptions { MaxRecordBytes = 1024 };
        var head = "id,name,amount\n1,a,600\n2,\"" + new string('x', 1500);
        var tail = "x\",700\n3,c,800\n4,d\n5,e,900\n";

        var result = Run(Bytes(head + tail), [head.Length], options);

        // The long record is cut at the chunk's end; the records after its end are read as usual.
        Assert.StartsWith("id,name,amount\n1,a,600\n3,c,800\n5,e,900\n|read 5, written 3|3:record longer than 1024 bytes", result, StringComparison.Ordinal);
        Assert.EndsWith(";5:2 fields, expected 3:4,d;", result, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_OverLongFirstRecord_FailsTheFile()
    {
        var head = "id,\"" + new string('x', 1500);

        var result = Run(Bytes(head + "\",amount\n1,a,600\n"), [head.Length], new CsvTransformOptions { MaxRecordBytes = 1024 });

        Assert.Equal("failed: line 1: the first record is longer than 1024 bytes (an unterminated quoted field?)", result);
    }

    [Fact]
    public void Read_OneCharacterAtATime_HandsOutSurrogatePairsInHalves()
    {
        var bytes = Encoding.UTF8.GetBytes("a😀é\n");
        var text = new StringBuilder();
        using var reader = new Utf8LentReader();
        unsafe
        {
            fixed (byte* start = bytes)
            {
                reader.Lend(start, bytes.Length);
                var one = new char[1];
                while (reader.Read(one, 0, 1) == 1)
                {
                    text.Append(one[0]);
                }

                reader.Return();
            }
        }

        Assert.Equal("a😀é\n", text.ToString());
    }

    private static byte[] Bytes(string content) => CsvFeed.WithInvalidBytes(content);

    private static string Run(byte[] bytes, int[] cuts, CsvTransformOptions? options = null)
    {
        options ??= new CsvTransformOptions { Select = ["id", "name", "amount"], Where = ["amount>500"] };
        using var processor = ((IFileTransform)new CsvTransform(options)).CreateProcessor(new SourceFile("x.csv", "/x.csv", bytes.Length, DateTime.UnixEpoch));
        return CsvFeed.Outcome(processor, bytes, cuts);
    }
}
