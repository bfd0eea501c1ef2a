using System.Buffers;
using Pipeline.IO;
using Pipeline.Running;
using Pipeline.Safety;
using Pipeline.Sharding;
using Pipeline.Sources;
using Pipeline.Transforms;

namespace Pipeline.Unattended;

/// <summary>
/// The record of finished files a run keeps in <c>&lt;output&gt;/.pipeline/journal</c>: one JSON line per file,
/// appended and flushed as each finishes, so a <c>kill -9</c> at any moment loses at most the files in flight.
/// A file is done for <see cref="PipelineOptions.Resume"/> when its last entry has the same relative path, size,
/// last-write time and transform fingerprint, and its output still exists.
/// </summary>
/// <remarks>
/// Nothing of it is held in memory: a resumed run first compacts the journal (<see cref="JournalCompaction"/>: sorted by
/// path, one entry a path, atomically replaced), then looks each file up as the walk reaches it (<see cref="JournalCursor"/>,
/// a merge join of two streams in the same order), and appends after the compacted part.
/// </remarks>
internal sealed class RunJournal : IDisposable
{
    /// <summary>The folder in the output root that holds the journal and the lock.</summary>
    public const string FolderName = ".pipeline";

    /// <summary>The journal's file name in <see cref="FolderName"/>.</summary>
    public const string FileName = "journal";

    private readonly Lock _lock = new();
    private readonly FileStream? _stream;
    private readonly JournalCursor? _done;
    private readonly string? _scratch;
    private readonly IFileTransform _transform;
    private readonly string _outputRoot;
    private readonly ArrayBufferWriter<byte> _line = new(4096);
    private readonly string _fingerprint;
    private bool _full;

    private RunJournal(FileStream? stream, JournalCursor? done, string? scratch, IFileTransform transform, string outputRoot)
    {
        _fingerprint = FingerprintOf(transform);
        _stream = stream;
        _done = done;
        _scratch = scratch;
        _transform = transform;
        _outputRoot = outputRoot;
    }

    /// <summary>
    /// What an entry records of the options a file ran under: the transform's fingerprint and the version of the path
    /// order (<see cref="PathOrder"/>). The journal is kept, and aggregate outputs are rebuilt from it, in that order;
    /// a journal of an older order (UTF-16 code units) matches nothing, so a resume redoes its files and their manifests.
    /// </summary>
    public static string FingerprintOf(IFileTransform transform) => transform.Fingerprint + ";order=" + PathOrder.Version;

    /// <summary>The journal's path under an output folder: the run's, or <paramref name="shard"/>'s own.</summary>
    public static string PathFor(string outputRoot, Shard? shard = null) => Path.Join(ShardLayout.StateFolder(outputRoot, shard), FileName);

    /// <summary>Opens the journal of <paramref name="outputRoot"/> (of <paramref name="shard"/> in it): compacted, kept and appended to when <paramref name="resume"/>, started afresh otherwise.</summary>
    public static RunJournal Open(string outputRoot, IFileTransform transform, bool resume, Shard? shard = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputRoot);
        ArgumentNullException.ThrowIfNull(transform);
        var path = PathFor(outputRoot, shard);
        StateFile.EnsureFolder(Path.GetDirectoryName(path)!);

        // The journal is the tool's own file: never opened through a link (a run as root would write wherever it
        // points), never blocking on a pipe; a link or a special file there is a configuration error.
        var existing = resume ? StateFile.OpenExisting(path, FileAccess.ReadWrite) : null;
        if (existing is not null)
        {
            // A line torn by a kill mid-write would swallow the next one: cut the file back to its last full line.
            using (var torn = new FileStream(existing, FileAccess.ReadWrite, bufferSize: 0)) // closes the handle too
            {
                torn.SetLength(LastCompleteLineEnd(torn));
            }

            if (!JournalCompaction.IsCompact(path))
            {
                JournalCompaction.Compact(path, path, Path.Join(Path.GetDirectoryName(path)!, "journal-sort"));
            }
        }

        var stream = StateFile.OpenStream(path, resume ? FileMode.OpenOrCreate : FileMode.Create, FileAccess.ReadWrite);
        JournalCursor? done = null;
        try
        {
            stream.Seek(0, SeekOrigin.End);
            done = resume ? new JournalCursor(path, stream.Length) : null;
            return new RunJournal(stream, done, null, transform, outputRoot);
        }
        catch
        {
            done?.Dispose();
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the journal of <paramref name="outputRoot"/> to ask what a resume would skip (for a dry run), touching
    /// nothing: a journal not yet compacted is compacted into a temporary folder, removed by <see cref="Dispose"/>.
    /// </summary>
    public static RunJournal OpenReadOnly(string outputRoot, IFileTransform transform, Shard? shard = null)
    {
        ArgumentNullException.ThrowIfNull(transform);
        var path = PathFor(outputRoot, shard);
        if (!Path.Exists(path) && !FileNode.TryGet(path, followLink: false, out _, out _))
        {
            return new RunJournal(null, null, null, transform, outputRoot);
        }

        string? scratch = null;
        if (!JournalCompaction.IsCompact(path))
        {
            // In the folder for temporary files, or, if that is missing (it is never created), in .pipeline itself.
            scratch = TempFolder.NewPath("pipeline-journal-", Path.GetDirectoryName(path));
            var copy = Path.Join(scratch, FileName);
            JournalCompaction.Compact(path, copy, Path.Join(scratch, "sort"));
            path = copy;
        }

        return new RunJournal(null, new JournalCursor(path, null), scratch, transform, outputRoot);
    }

    /// <summary>A skipped result for <paramref name="file"/> if the journal says an earlier run finished it unchanged; otherwise <see langword="null"/>.</summary>
    /// <remarks>Fastest when asked in the walk's order (ordinal by relative path); any order gives the same answers.</remarks>
    public FileResult? TryResume(SourceFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (_done?.Find(file.RelativePath) is not { Done: true } entry
            || entry.Fingerprint != _fingerprint
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
        if (_stream is null)
        {
            throw new InvalidOperationException("the journal was opened read-only");
        }

        lock (_lock)
        {
            if (_full)
            {
                return;
            }

            var buffer = _line;
            buffer.ResetWrittenCount();
            foreach (var result in results)
            {
                if (result.Status is FileStatus.Succeeded or FileStatus.Failed)
                {
                    Append(buffer, result);
                }
            }

            if (buffer.WrittenCount == 0)
            {
                return;
            }

            try
            {
                _stream.Write(buffer.WrittenSpan);
                _stream.Flush();
            }
            catch (IOException ex) when (IO.FileErrors.KindOf(ex) == Running.FileErrorKind.DiskFull)
            {
                // The journal only spares a resume the redoing of finished files: a disk too full to record them is
                // no reason to stop a run whose files each fail or succeed on their own. Nothing more is recorded, so
                // a resume redoes the files finished from here; a line torn by this write is cut when the journal is
                // opened again. The stream is closed now, its unwritten buffer with it.
                _full = true;
                try
                {
                    _stream.Dispose();
                }
                catch (IOException)
                {
                }
            }
        }
    }

    private void Append(ArrayBufferWriter<byte> buffer, FileResult result)
    {
        var artifact = result.Status == FileStatus.Succeeded && _transform is IArtifactCodec codec ? codec.Encode(result.Artifact) : null;
        new JournalEntry(result.RelativePath, result.Length, result.LastWriteTimeUtc.Ticks, _fingerprint, result.Status == FileStatus.Succeeded, result.BytesOut, artifact)
            .WriteLine(buffer);
    }

    /// <summary>Closes the journal (and removes a read-only one's temporary compacted copy).</summary>
    public void Dispose()
    {
        _done?.Dispose();
        _stream?.Dispose();
        if (_scratch is not null && Directory.Exists(_scratch))
        {
            Directory.Delete(_scratch, recursive: true);
        }
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
}
