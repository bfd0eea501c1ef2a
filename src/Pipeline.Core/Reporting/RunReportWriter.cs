using System.Globalization;
using System.Text;
using CsvHelper;
using Pipeline.Csv;
using Pipeline.IO;
using Pipeline.Running;

namespace Pipeline.Reporting;

/// <summary>Writes the per-file report of a run as CSV: <c>path,status,bytes_in,bytes_out,milliseconds,error</c>, sorted by path.</summary>
public static class RunReportWriter
{
    /// <summary>Writes the report atomically to <paramref name="path"/>.</summary>
    public static Task WriteCsvAsync(RunSummary summary, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return AtomicFileWriter.WriteAllAsync(path, ToCsv(summary), cancellationToken);
    }

    /// <summary>The report's bytes.</summary>
    public static byte[] ToCsv(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        using var memory = new MemoryStream();
        using (var writer = new StreamWriter(memory, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" })
        using (var csv = new CsvWriter(writer, CsvFieldQuoting.WriterConfiguration()))
        {
            foreach (var header in (string[])["path", "status", "bytes_in", "bytes_out", "milliseconds", "error"])
            {
                csv.WriteField(header);
            }

            csv.NextRecord();
            foreach (var r in summary.Results)
            {
                csv.WriteField(r.RelativePath);
                csv.WriteField(r.Status.ToString().ToLowerInvariant());
                csv.WriteField(r.BytesIn);
                csv.WriteField(r.BytesOut);
                csv.WriteField(Math.Round(r.Elapsed.TotalMilliseconds, 3).ToString(CultureInfo.InvariantCulture));
                csv.WriteField(r.Error ?? string.Empty);
                csv.NextRecord();
            }
        }

        return memory.ToArray();
    }
}
