using System.Globalization;
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
    private readonly CsvRows _rows = new(Header);
    private readonly string? _partPath;
    private readonly byte[] _header = [];
    private AtomicFileWriter? _file;
    private IndexedPartWriter? _part;
    private bool _committed;

    private RunReport(string path, string? partPath = null)
    {
        _path = Path.GetFullPath(path);
        _partPath = partPath;
        if (_partPath is not null)
        {
            // A part indexes every row by its file, so its header is kept apart.
            _header = _rows.TakeOut();
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
        _rows.Field(result.RelativePath)
            .Field(result.Status.ToString().ToLowerInvariant())
            .Field(result.BytesIn)
            .Field(result.BytesOut)
            .Field(Math.Round(result.Elapsed.TotalMilliseconds, 3).ToString(CultureInfo.InvariantCulture))
            .Field(result.Error ?? string.Empty)
            .EndRow();
        if (_partPath is not null)
        {
            _part ??= IndexedPartWriter.Create(_partPath, _path, _header);
            var part = _part;
            _rows.TakeOut(row => part.Write(result.RelativePath, row.Span));
        }
        else if (_rows.Length >= FlushBytes)
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
        _rows.Dispose();
        _file?.Dispose();
        _part?.Dispose();
    }

    private void WriteOut()
    {
        _file ??= AtomicFileWriter.Create(_path, asynchronous: false);
        var file = _file;
        _rows.TakeOut(rows => file.Write(rows.Span));
    }
}
