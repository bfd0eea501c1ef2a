using System.Text.Json;
using Pipeline.Running;

namespace Pipeline.Cli.Output;

/// <summary>Prints a run's summary as a table or as one JSON object.</summary>
internal static class SummaryPrinter
{
    public static void PrintTable(CliConsole console, string transform, RunSummary summary, IReadOnlyList<(string Name, long Value)> counts)
    {
        var table = new FittedTable($"pipeline run {transform}", labelled: false);
        foreach (var header in (string[])["files ok", "failed", "skipped", "cancelled", "MB in", "MB out", "seconds", "files/s", "MB/s"])
        {
            table.AddColumn(header);
        }

        foreach (var (name, _) in counts)
        {
            table.AddColumn(name.Replace('_', ' '));
        }

        string[] cells =
        [
            Units.Count(summary.FilesSucceeded),
            Units.Count(summary.FilesFailed),
            Units.Count(summary.FilesSkipped),
            Units.Count(summary.FilesCancelled),
            Units.Megabytes(summary.BytesIn),
            Units.Megabytes(summary.BytesOut),
            Units.Fixed(summary.Elapsed.TotalSeconds, 3),
            Units.Count((long)Math.Round(summary.FilesPerSecond)), // grouped as the counts are (12,763)
            Units.Fixed(summary.MegabytesPerSecond, 1),
            .. counts.Select(c => Units.Count(c.Value)),
        ];
        table.AddRow(cells);
        table.Write(console.CreateOutConsole(), console.TableBorder);
    }

    /// <summary>The line that says how many links a walk left out, and how to take them; <see langword="null"/> when none.</summary>
    public static string? LinksNotFollowed(int links) =>
        links == 0 ? null : $"{Units.Count(links)} symbolic link{(links == 1 ? string.Empty : "s")} not followed; --follow-symlinks follows them";

    public static void PrintJson(CliConsole console, string transform, RunSummary summary, int linksNotFollowed, IReadOnlyList<(string Name, long Value)> counts)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("transform", transform);
            json.WriteNumber("files_ok", summary.FilesSucceeded);
            json.WriteNumber("files_failed", summary.FilesFailed);
            json.WriteNumber("files_skipped", summary.FilesSkipped);
            json.WriteNumber("files_cancelled", summary.FilesCancelled);
            json.WriteNumber("symlinks_not_followed", linksNotFollowed);
            json.WriteNumber("bytes_in", summary.BytesIn);
            json.WriteNumber("bytes_out", summary.BytesOut);
            json.WriteNumber("seconds", Math.Round(summary.Elapsed.TotalSeconds, 6));
            json.WriteNumber("files_per_s", Math.Round(summary.FilesPerSecond, 1));
            json.WriteNumber("mb_per_s", Math.Round(summary.MegabytesPerSecond, 2));
            json.WriteBoolean("cancelled", summary.Cancelled);
            json.WriteBoolean("stopped_by_error_limit", summary.StoppedByErrorLimit);
            foreach (var (name, value) in counts)
            {
                json.WriteNumber(name, value);
            }

            json.WriteStartArray("failed");
            foreach (var failed in summary.Failures)
            {
                json.WriteStartObject();
                json.WriteString("path", failed.RelativePath);
                json.WriteString("error", failed.Error);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
