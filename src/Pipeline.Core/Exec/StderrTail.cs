using System.Text;

namespace Pipeline.Exec;

/// <summary>
/// The end of a command's standard error, kept per file and bounded (the last <c>capacity</c> bytes), so that it never
/// interleaves on the terminal and a failure can say what the command said last.
/// </summary>
internal sealed class StderrTail(int capacity)
{
    private const int LinesShown = 3;

    private readonly byte[] _ring = new byte[capacity];
    private long _total;

    /// <summary>Reads <paramref name="stderr"/> to its end, keeping the last bytes.</summary>
    public async Task ReadAsync(Stream stderr, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        int n;
        while ((n = await stderr.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            for (var i = 0; i < n; i++)
            {
                _ring[(int)(_total++ % _ring.Length)] = buffer[i];
            }
        }
    }

    /// <summary>Everything kept, oldest first.</summary>
    public string Text()
    {
        var kept = (int)Math.Min(_total, _ring.Length);
        var bytes = new byte[kept];
        for (var i = 0; i < kept; i++)
        {
            bytes[i] = _ring[(int)((_total - kept + i) % _ring.Length)];
        }

        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>": " and its last few non-empty lines joined by " | ", or nothing when it said nothing.</summary>
    public string Describe() => Lines() is { Length: > 0 } lines ? ": " + lines : string.Empty;

    /// <summary>Its last few non-empty lines (or, with <paramref name="all"/>, every one kept) joined by " | "; empty when it said nothing.</summary>
    public string Lines(bool all = false) => string.Join(" | ", Text().Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).TakeLast(all ? int.MaxValue : LinesShown));
}
