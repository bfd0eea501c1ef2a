using System.Globalization;
using System.Text;
using CsvHelper;
using Pipeline.Csv;
using Pipeline.IO;
using Pipeline.Running;

namespace Pipeline.Reporting;

/// <summary>
/// The per-file report (<c>path,status,bytes_in,bytes_out,milliseconds,error</c>), written as results come — from
/// <see cref="PipelineOptions.Results"/>, in ordinal order — so a run of millions of files writes it without holding
/// it: rows go to a temporary file beside the target, which <see cref="Commit"/> renames over it. Disposing without
/// committing leaves no file behind.
/// </summary>
public sealed class RunReport : IDisposable
{
    private const int FlushBytes = 64 * 1024;

    private readonly string _path;
    private readonly MemoryStream _buffer = new();
    private readonly StreamWriter _text;
    private readonly CsvWriter _csv;
    private readonly bool _inMemory;
    private AtomicFileWriter? _file;
    private bool _committed;

    private RunReport(string path, bool inMemory)
    {
        _path = Path.GetFullPath(path);
        _inMemory = inMemory;
        _text = new StreamWriter(_buffer, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
        _csv = new CsvWriter(_text, CsvFieldQuoting.WriterConfiguration());
        foreach (var header in (string[])["path", "status", "bytes_in", "bytes_out", "milliseconds", "error"])
        {
            _csv.WriteField(header);
        }

        _csv.NextRecord();
    }

    /// <summary>Starts a report to <paramref name="path"/>; nothing is created until the first rows are written out.</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public static RunReport Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new RunReport(path, inMemory: false);
    }

    /// <summary>A report built whole in memory (see <see cref="ToArray"/>), for <see cref="RunReportWriter.ToCsv"/>.</summary>
    internal static RunReport InMemory() => new("report.csv", inMemory: true);

    /// <summary>Adds one file's row; rows keep the order they are added in.</summary>
    /// <exception cref="IOException">The report cannot be written.</exception>
    public void Add(FileResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        ObjectDisposedException.ThrowIf(_committed, this);
        _csv.WriteField(result.RelativePath);
        _csv.WriteField(result.Status.ToString().ToLowerInvariant());
        _csv.WriteField(result.BytesIn);
        _csv.WriteField(result.BytesOut);
        _csv.WriteField(Math.Round(result.Elapsed.TotalMilliseconds, 3).ToString(CultureInfo.InvariantCulture));
        _csv.WriteField(result.Error ?? string.Empty);
        _csv.NextRecord();
        if (!_inMemory && _buffer.Length >= FlushBytes)
        {
            WriteOut();
        }
    }

    /// <summary>Writes the rest and renames the report over its target.</summary>
    /// <exception cref="IOException">The report cannot be written.</exception>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        WriteOut();
        _file!.Commit();
        _committed = true;
    }

    /// <summary>The report's bytes so far, for a report built whole in memory.</summary>
    internal byte[] ToArray()
    {
        _csv.Flush();
        _text.Flush();
        return _buffer.ToArray();
    }

    /// <summary>Deletes the temporary file unless the report was committed.</summary>
    public void Dispose()
    {
        _csv.Dispose();
        _file?.Dispose();
    }

    private void WriteOut()
    {
        _csv.Flush();
        _text.Flush();
        _file ??= AtomicFileWriter.Create(_path, asynchronous: false);
        _file.Write(_buffer.GetBuffer().AsSpan(0, (int)_buffer.Length));
        _buffer.SetLength(0);
    }
}
