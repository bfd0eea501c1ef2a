using System.Buffers;
using System.Text;
using Pipeline.Csv;
using Pipeline.Transforms;

namespace Pipeline.Tests.Support;

/// <summary>Feeds a csv processor bytes cut at chosen places and describes what came out, so two ways of processing can be compared as strings.</summary>
internal static class CsvFeed
{
    /// <summary>UTF-8 of <paramref name="content"/>, with each U+00FF turned into the invalid byte 0xFF.</summary>
    public static byte[] WithInvalidBytes(string content) =>
        [.. content.Split('\u00FF').SelectMany((part, i) => i == 0 ? Encoding.UTF8.GetBytes(part) : [0xFF, .. Encoding.UTF8.GetBytes(part)])];

    /// <summary>Feeds <paramref name="bytes"/> cut at <paramref name="cuts"/>; the output, the counts and the bad rows, or the failure.</summary>
    public static string Outcome(IFileProcessor processor, byte[] bytes, IEnumerable<int> cuts)
    {
        var output = new ArrayBufferWriter<byte>();
        try
        {
            var from = 0;
            foreach (var cut in cuts.Where(c => c < bytes.Length).Append(bytes.Length))
            {
                processor.Append(bytes.AsSpan(from, cut - from), output);
                from = cut;
            }

            var outcome = (CsvFileOutcome)processor.Complete(output)!;
            return $"{Encoding.UTF8.GetString(output.WrittenSpan)}|read {outcome.RowsRead}, written {outcome.RowsWritten}|"
                + string.Concat(outcome.BadRows.Select(b => $"{b.Line}:{b.Reason}:{b.Raw};"));
        }
        catch (InvalidDataException ex)
        {
            return "failed: " + ex.Message;
        }
    }
}
