using System.Buffers;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using CsvHelper;
using CsvHelper.Configuration;
using Pipeline.Cli.Benchmarking;
using Pipeline.Csv;
using Pipeline.IO;
using Pipeline.Sources;
using Pipeline.Transforms;

namespace Pipeline.Benchmarks;

/// <summary>
/// The csv transform against CsvHelper alone doing the same job on the same rows as the suite's CSV (id, city and
/// amount of the rows with amount &gt; 500, 8.2 MB): what the transform costs beyond the parser it is built on.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project tests/Pipeline.Benchmarks -- --filter '*CsvBenchmark*'</c>. MB/s of CSV = 8.2 MB
/// (printed at setup) ÷ the mean. The parser baselines read through a <see cref="StreamReader"/>, as CsvHelper's own
/// documentation does, and test the field the same way the transform does (a number when it parses as one).
/// </remarks>
[MemoryDiagnoser]
public class CsvBenchmark
{
    private const int Chunk = 1024 * 1024;
    private static readonly CsvCondition Condition = CsvCondition.Parse("amount>500");
    private readonly ArrayBufferWriter<byte> _output = new(16 * Chunk);
    private readonly IFileTransform _transform = new CsvTransform(new CsvTransformOptions { Select = ["id", "city", "amount"], Where = ["amount>500"] });
    private byte[] _csv = [];
    private SourceFile _file = null!;

    [GlobalSetup]
    public void Setup()
    {
        var folder = Path.Join(Path.GetTempPath(), "pipeline-csv-bench");
        SyntheticCorpus.WriteCsvFiles(folder, 1, 130_000, 7);
        _csv = File.ReadAllBytes(Path.Join(folder, "data000.csv"));
        Directory.Delete(folder, recursive: true);
        _file = new SourceFile("bench.csv", "bench.csv", _csv.Length, DateTime.UnixEpoch);
        Console.WriteLine($"// CSV: {_csv.Length:N0} bytes");
    }

    /// <summary>The transform as the pipeline drives it: 1 MiB chunks in, CSV bytes out.</summary>
    [Benchmark]
    public int Transform()
    {
        _output.ResetWrittenCount();
        using var processor = _transform.CreateProcessor(_file);
        for (var offset = 0; offset < _csv.Length; offset += Chunk)
        {
            processor.Append(_csv.AsSpan(offset, Math.Min(Chunk, _csv.Length - offset)), _output);
        }

        processor.Complete(_output);
        return _output.WrittenCount;
    }

    /// <summary>CsvHelper's parser reading every row and testing the condition: no projection, no output.</summary>
    [Benchmark(Baseline = true)]
    public int CsvParserFilter()
    {
        using var parser = NewParser();
        var kept = 0;
        parser.Read();
        var amount = Array.IndexOf(parser.Record!, "amount");
        while (parser.Read())
        {
            if (parser.Count > amount && Condition.IsMetBy(parser[amount]))
            {
                kept++;
            }
        }

        return kept;
    }

    /// <summary>The same, writing the selected fields of the kept rows with CsvHelper's writer: the whole job in CsvHelper alone.</summary>
    [Benchmark]
    public int CsvParserFilterWrite()
    {
        _output.ResetWrittenCount();
        using var parser = NewParser();
        using var stream = new BufferWriterStream { Target = _output };
        using var text = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 64 * 1024);
        using var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n" });
        parser.Read();
        int[] selected = [.. new[] { "id", "city", "amount" }.Select(c => Array.IndexOf(parser.Record!, c))];
        var amount = selected[2];
        var header = parser.Record!;
        foreach (var index in selected)
        {
            csv.WriteField(header[index]);
        }

        csv.NextRecord();
        while (parser.Read())
        {
            if (parser.Count == header.Length && Condition.IsMetBy(parser[amount]))
            {
                foreach (var index in selected)
                {
                    csv.WriteField(parser[index]);
                }

                csv.NextRecord();
            }
        }

        csv.Flush();
        return _output.WrittenCount;
    }

    private CsvParser NewParser() =>
        new(new StreamReader(new MemoryStream(_csv), Encoding.UTF8), new CsvConfiguration(CultureInfo.InvariantCulture) { BadDataFound = null, CacheFields = false });
}
