using System.Buffers;
using System.Text;
using System.Text.Json;
using Pipeline.Running;
using Pipeline.Sharding;
using Pipeline.Sources;
using Pipeline.Transforms;

namespace Pipeline.Unattended;

/// <summary>
/// The record of finished files a run keeps in <c>&lt;output&gt;/.pipeline/journal</c>: one JSON line per file,
/// appended and flushed as each finishes, so a <c>kill -9</c> at any moment loses at most the files in flight.
/// A file is done for <see cref="PipelineOptions.Resume"/> when its entry has the same relative path, size,
/// last-write time and transform fingerprint, and its output still exists.
/// </summary>
internal sealed class RunJournal : IDisposable
{
    /// <summary>The folder in the output root that holds the journal and the lock.</summary>
    public const string FolderName = ".pipeline";

    /// <summary>The journal's file name in <see cref="FolderName"/>.</summary>
    public const string FileName = "journal";

    private readonly Lock _lock = new();
    private readonly FileStream _stream;
    private readonly IFileTransform _transform;
    private readonly string _outputRoot;
    private readonly Dictionary<string, Entry> _done;
    private readonly ArrayBufferWriterPool _line = new();

    private RunJournal(FileStream stream, IFileTransform transform, string outputRoot, Dictionary<string, Entry> done)
    {
        _stream = stream;
        _transform = transform;
        _outputRoot = outputRoot;
        _done = done;
    }

    /// <summary>Entries read from an earlier run (only with resume).</summary>
    public int PreviousEntries => _done.Count;

    /// <summary>The journal's path under an output folder: the run's, or <paramref name="shard"/>'s own.</summary>
    public static string PathFor(string outputRoot, Shard? shard = null) => Path.Join(ShardLayout.StateFolder(outputRoot, shard), FileName);

    /// <summary>Opens the journal of <paramref name="outputRoot"/> (of <paramref name="shard"/> in it): kept and appended to when <paramref name="resume"/>, started afresh otherwise.</summary>
    public static RunJournal Open(string outputRoot, IFileTransform transform, bool resume, Shard? shard = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputRoot);
        ArgumentNullException.ThrowIfNull(transform);
        var path = PathFor(outputRoot, shard);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var done = resume ? Read(path, transform.Fingerprint) : new Dictionary<string, Entry>(StringComparer.Ordinal);
        var stream = new FileStream(path, resume ? FileMode.OpenOrCreate : FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
        if (resume)
        {
            // A line torn by a kill mid-write would swallow the next one: cut the file back to its last full line.
            stream.SetLength(LastCompleteLineEnd(stream));
            stream.Seek(0, SeekOrigin.End);
        }

        return new RunJournal(stream, transform, outputRoot, done);
    }

    /// <summary>Reads what a resume would skip, without opening the journal for writing (for a dry run).</summary>
    public static IReadOnlyDictionary<string, (long Size, DateTime LastWriteTimeUtc)> ReadDone(string outputRoot, IFileTransform transform, Shard? shard = null)
    {
        ArgumentNullException.ThrowIfNull(transform);
        var path = PathFor(outputRoot, shard);
        return File.Exists(path)
            ? Read(path, transform.Fingerprint).ToDictionary(e => e.Key, e => (e.Value.Size, new DateTime(e.Value.Ticks, DateTimeKind.Utc)), StringComparer.Ordinal)
            : new Dictionary<string, (long, DateTime)>();
    }

    /// <summary>A skipped result for <paramref name="file"/> if the journal says an earlier run finished it unchanged; otherwise <see langword="null"/>.</summary>
    public FileResult? TryResume(SourceFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!_done.TryGetValue(file.RelativePath, out var entry)
            || entry.Size != file.Length
            || entry.Ticks != file.LastWriteTimeUtc.Ticks)
        {
            return null;
        }

        if (_transform.GetOutputPath(file.RelativePath) is { } output && !File.Exists(Path.Join(_outputRoot, output)))
        {
            return null;
        }

        object? artifact;
        try
        {
            artifact = _transform is IArtifactCodec codec ? codec.Decode(entry.Artifact) : null;
        }
        catch (FormatException)
        {
            return null;
        }

        return new FileResult(file.RelativePath, FileStatus.Skipped, entry.Size, entry.BytesOut, TimeSpan.Zero, null, artifact)
        {
            Length = file.Length,
            LastWriteTimeUtc = file.LastWriteTimeUtc,
        };
    }

    /// <summary>Appends a finished file (succeeded or failed) and flushes it to the operating system.</summary>
    public void Record(FileResult result) => Record([result]);

    /// <summary>Appends finished files (those that succeeded or failed) with one write, and flushes them to the operating system.</summary>
    public void Record(IReadOnlyList<FileResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        lock (_lock)
        {
            var buffer = _line.Take();
            foreach (var result in results)
            {
                if (result.Status is FileStatus.Succeeded or FileStatus.Failed)
                {
                    Append(buffer, result);
                }
            }

            if (buffer.WrittenCount > 0)
            {
                _stream.Write(buffer.WrittenSpan);
                _stream.Flush();
            }
        }
    }

    private void Append(ArrayBufferWriter<byte> buffer, FileResult result)
    {
        using (var json = new Utf8JsonWriter((IBufferWriter<byte>)buffer))
        {
            json.WriteStartObject();
            json.WriteString("path", result.RelativePath);
            json.WriteNumber("size", result.Length);
            json.WriteNumber("mtime", result.LastWriteTimeUtc.Ticks);
            json.WriteString("transform", _transform.Fingerprint);
            json.WriteString("status", result.Status == FileStatus.Succeeded ? "done" : "failed");
            json.WriteNumber("bytes_out", result.BytesOut);
            if (result.Status == FileStatus.Succeeded && _transform is IArtifactCodec codec && codec.Encode(result.Artifact) is { } text)
            {
                json.WriteString("artifact", text);
            }

            json.WriteEndObject();
        }

        buffer.Write("\n"u8);
    }

    /// <summary>Closes the journal.</summary>
    public void Dispose() => _stream.Dispose();

    private static Dictionary<string, Entry> Read(string path, string fingerprint)
    {
        var done = new Dictionary<string, Entry>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return done;
        }

        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite), Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            try
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                var relative = root.GetProperty("path").GetString()!;
                if (root.GetProperty("status").GetString() == "done" && root.GetProperty("transform").GetString() == fingerprint)
                {
                    done[relative] = new Entry(
                        root.GetProperty("size").GetInt64(),
                        root.GetProperty("mtime").GetInt64(),
                        root.GetProperty("bytes_out").GetInt64(),
                        root.TryGetProperty("artifact", out var artifact) ? artifact.GetString() : null);
                }
                else
                {
                    // A later failure, or the same path under other options, supersedes an earlier success.
                    done.Remove(relative);
                }
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                // A line torn by a kill: that file was not finished as far as the journal can tell.
            }
        }

        return done;
    }

    private static long LastCompleteLineEnd(FileStream stream)
    {
        var length = stream.Length;
        var buffer = new byte[4096];
        var end = length;
        while (end > 0)
        {
            var start = Math.Max(0, end - buffer.Length);
            stream.Seek(start, SeekOrigin.Begin);
            var n = stream.ReadAtLeast(buffer.AsSpan(0, (int)(end - start)), (int)(end - start));
            var newline = buffer.AsSpan(0, n).LastIndexOf((byte)'\n');
            if (newline >= 0)
            {
                return start + newline + 1;
            }

            end = start;
        }

        return 0;
    }

    private sealed record Entry(long Size, long Ticks, long BytesOut, string? Artifact);

    /// <summary>One reusable buffer for the line being written (records are written one at a time, under the lock).</summary>
    private sealed class ArrayBufferWriterPool
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(4096);

        public ArrayBufferWriter<byte> Take()
        {
            _buffer.ResetWrittenCount();
            return _buffer;
        }
    }
}
