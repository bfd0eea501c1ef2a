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
        return AtomicFileWriter.WriteAllAsync(path, ToCsv(summary), cancellationToken: cancellationToken);
    }

    /// <summary>The report's bytes.</summary>
    public static byte[] ToCsv(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        using var report = RunReport.InMemory();
        foreach (var r in summary.Results)
        {
            report.Add(r);
        }

        return report.ToArray();
    }
}
