using System.Globalization;
using System.Text;
using CsvHelper;
using Pipeline.Csv;
using Pipeline.IO;
using Pipeline.Running;
using Pipeline.Sharding;

namespace Pipeline.Reporting;

/// <summary>
/// The per-file report (<c>path,status,bytes_in,bytes_out,milliseconds,error</c>), written as results come — from
/// <see cref="PipelineOptions.Results"/>, in ordinal order — so a run of millions of files writes it without holding
/// it: rows go to a temporary file beside the target, which <see cref="Commit"/> renames over it. Disposing without
/// committing leaves no file behind. A shard's report (<see cref="Open(string, PipelineOptions)"/> with
/// <see cref="PipelineOptions.Shard"/>) is the shard's part of it, which <see cref="ShardMerger.MergeAsync"/> joins.
/// </summary>
public sealed class RunReport : IDisposable
{
    /// <summary>The report's first line: its columns.</summary>
    public const string Header = "path,status,bytes_in,bytes_out,milliseconds,error";

    private const int FlushBytes = 64 * 1024;

    private readonly string _path;
    private readonly MemoryStream _buffer = new();
    private readonly StreamWriter _text;
    private readonly CsvWriter _csv;
    private readonly string? _partPath;
    private readonly byte[] _header = [];
    private AtomicFileWriter? _file;
    private IndexedPartWriter? _part;
    private bool _committed;

    private RunReport(string path, string? partPath = null)
    {
        _path = Path.GetFullPath(path);
        _partPath = partPath;
        _text = new StreamWriter(_buffer, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
        _csv = new CsvWriter(_text, CsvFieldQuoting.WriterConfiguration());
        foreach (var header in Header.Split(','))
        {
            _csv.WriteField(header);
        }

        _csv.NextRecord();
        if (_partPath is not null)
        {
            // A part indexes every row by its file, so its header is kept apart.
            _csv.Flush();
            _text.Flush();
            _header = _buffer.ToArray();
            _buffer.SetLength(0);
        }
    }

    /// <summary>Starts a report to <paramref name="path"/>; nothing is created until the first rows are written out.</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public static RunReport Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new RunReport(path);
    }

    /// <summary>
    /// Starts the report of a run with <paramref name="options"/>: for a run of the whole job, as <see cref="Open(string)"/>;
    /// for a shard (<see cref="PipelineOptions.Shard"/>), its part of the report, kept with the shard's state in the output
    /// folder, which <see cref="ShardMerger.MergeAsync"/> joins with the other shards' parts into <paramref name="path"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public static RunReport Open(string path, PipelineOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(options);
        return options.Shard is { } shard
            ? new RunReport(path, ShardLayout.ReportPartPath(options.OutputRoot, shard))
            : Open(path);
    }

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
        if (_partPath is not null)
        {
            _csv.Flush();
            _text.Flush();
            _part ??= IndexedPartWriter.Create(_partPath, _path, _header);
            _part.Write(result.RelativePath, _buffer.GetBuffer().AsSpan(0, (int)_buffer.Length));
            _buffer.SetLength(0);
        }
        else if (_buffer.Length >= FlushBytes)
        {
            WriteOut();
        }
    }

    /// <summary>Writes the rest and renames the report over its target.</summary>
    /// <exception cref="IOException">The report cannot be written.</exception>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        if (_partPath is not null)
        {
            _part ??= IndexedPartWriter.Create(_partPath, _path, _header);
            _part.Commit();
            _committed = true;
            return;
        }

        WriteOut();
        _file!.Commit();
        _committed = true;
    }

    /// <summary>Deletes the temporary file unless the report was committed.</summary>
    public void Dispose()
    {
        _csv.Dispose();
        _file?.Dispose();
        _part?.Dispose();
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
