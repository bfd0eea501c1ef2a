using System.Buffers;
using Pipeline.IO;

namespace Pipeline.Unattended;

/// <summary>
/// Brings a journal into the form <see cref="JournalCursor"/> reads: one entry a path, sorted by ordinal path. A run
/// appends entries as files finish (in no set order, and a resumed run after the earlier ones), so before a resume reads
/// it the journal is sorted with a bounded external sort and rewritten, keeping the last entry of each path; an entry
/// superseded by a later one, a failure (it is not done, as if absent) and a torn line are dropped. So a journal that
/// many resumed runs appended to holds at most one line a path. A journal already in that form is left alone.
/// </summary>
internal static class JournalCompaction
{
    /// <summary>Entries sorted in memory at a time (a few MB); more are spilled to sorted runs and merged.</summary>
    public const int RunLength = 16_384;

    /// <summary>Whether <paramref name="path"/> has its entries in strictly increasing ordinal order of path (reads until the first that is not).</summary>
    public static bool IsCompact(string path)
    {
        using var lines = new JournalLines(path);
        string? previous = null;
        while (lines.TryReadLine(out var line))
        {
            if (JournalEntry.Parse(line) is not { } entry)
            {
                return false;
            }

            if (previous is not null && Sources.PathOrder.Compare(previous, entry.Path) >= 0)
            {
                return false;
            }

            previous = entry.Path;
        }

        return true;
    }

    /// <summary>
    /// Writes the compacted form of the journal <paramref name="source"/> to <paramref name="target"/> (which may be the
    /// same file) atomically: a temporary file beside it, flushed to disk, then renamed over it, so that an interruption
    /// at any point leaves the old journal or the new one, whole. Sorted runs are spilled under <paramref name="spillFolder"/>,
    /// which is removed at the end.
    /// </summary>
    public static void Compact(string source, string target, string spillFolder)
    {
        DeleteFolder(spillFolder); // a crashed compaction's runs
        try
        {
            using var sorter = new RecordSorter<JournalEntry>(spillFolder, RunLength);
            using (var lines = new JournalLines(source))
            {
                long number = 0;
                while (lines.TryReadLine(out var line))
                {
                    if (JournalEntry.Parse(line, number++) is { } entry)
                    {
                        sorter.Add(entry);
                    }
                }
            }

            using var writer = AtomicFileWriter.Create(target, asynchronous: false);
            var buffer = new ArrayBufferWriter<byte>(128 * 1024);
            foreach (var entry in LastOfEachPath(sorter.Sorted()))
            {
                entry.WriteLine(buffer);
                if (buffer.WrittenCount >= 64 * 1024)
                {
                    writer.Write(buffer.WrittenSpan);
                    buffer.ResetWrittenCount();
                }
            }

            writer.Write(buffer.WrittenSpan);
            writer.Commit(flushToDisk: true);
        }
        finally
        {
            DeleteFolder(spillFolder);
        }
    }

    /// <summary>Of entries sorted by path then line, the last of each path, unless it is a failure.</summary>
    private static IEnumerable<JournalEntry> LastOfEachPath(IEnumerable<JournalEntry> sorted)
    {
        JournalEntry? held = null;
        foreach (var entry in sorted)
        {
            if (held is not null && held.Path != entry.Path && held.Done)
            {
                yield return held;
            }

            held = entry;
        }

        if (held is { Done: true })
        {
            yield return held;
        }
    }

    private static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
