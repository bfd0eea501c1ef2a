namespace Pipeline.Unattended;

/// <summary>
/// Looks paths up in a compacted journal (one entry a path, sorted by ordinal path: see <see cref="JournalCompaction"/>)
/// without loading it: the walk asks in the same order, so each lookup reads on from where the last one stopped, a
/// merge join holding one entry. A path asked out of order (a block's files come in any order) is found by bisecting
/// the file, then the reading goes on from there. Not thread-safe: one caller at a time.
/// </summary>
internal sealed class JournalCursor : IDisposable
{
    /// <summary>Bisecting stops when the range left is this small, and reads it line by line.</summary>
    private const int ScanWindow = 64 * 1024;

    private readonly JournalLines _lines;
    private JournalEntry? _current;
    private string? _lastAsked;

    /// <summary>Reads the compacted journal <paramref name="path"/>, its first <paramref name="end"/> bytes (all of it when null).</summary>
    public JournalCursor(string path, long? end) => _lines = new JournalLines(path, end);

    /// <summary>The entry for <paramref name="relativePath"/>, or <see langword="null"/>.</summary>
    public JournalEntry? Find(string relativePath)
    {
        if (_lastAsked is not null && Sources.PathOrder.Compare(relativePath, _lastAsked) < 0)
        {
            Reposition(relativePath);
        }

        _lastAsked = relativePath;
        while (_current is not null || Next())
        {
            var order = Sources.PathOrder.Compare(_current!.Path, relativePath);
            if (order >= 0)
            {
                return order == 0 ? _current : null;
            }

            _current = null;
        }

        return null;
    }

    public void Dispose() => _lines.Dispose();

    private bool Next()
    {
        while (_lines.TryReadLine(out var line))
        {
            if (JournalEntry.Parse(line) is { } entry)
            {
                _current = entry;
                return true;
            }
        }

        return false;
    }

    /// <summary>Moves the reading to a line at or before the first entry not less than <paramref name="relativePath"/>.</summary>
    private void Reposition(string relativePath)
    {
        // Every line starting before lo is less than the path; the first that is not starts at or before hi.
        long lo = 0, hi = _lines.End;
        while (hi - lo > ScanWindow)
        {
            var mid = lo + ((hi - lo) / 2);
            _lines.Seek(mid - 1);
            if (!_lines.TryReadLine(out _))
            {
                break;
            }

            var start = _lines.Position;
            if (start >= hi || !_lines.TryReadLine(out var line) || JournalEntry.Parse(line) is not { } entry)
            {
                break; // no whole entry between mid and hi: reading on from lo finds it
            }

            if (Sources.PathOrder.Compare(entry.Path, relativePath) < 0)
            {
                lo = start;
            }
            else
            {
                hi = start;
            }
        }

        _lines.Seek(lo);
        _current = null;
    }
}
