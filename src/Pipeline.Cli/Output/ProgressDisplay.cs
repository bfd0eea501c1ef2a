using Pipeline.Running;

namespace Pipeline.Cli.Output;

/// <summary>
/// The live progress line on a terminal's stderr (see <see cref="ProgressLine"/>), redrawn in place a few times a
/// second to the terminal's current width, with a second line naming the last failure once there is one; cleared when
/// the run ends, however it ends (Ctrl+C too), before the summary is printed. Absent when stderr is redirected, so
/// logs stay clean.
/// </summary>
/// <remarks>
/// Drawn with plain carriage returns and three ANSI sequences (erase to the end of the line, cursor up and down: not
/// "erase the screen", which tmux and some terminals push into the scrollback as a copy of the line), and the cursor
/// is left at the start of the line after each redraw: the <c>^C</c> a terminal echoes then lands on the line the next
/// clear erases, instead of pushing a half line of it above the summary.
/// </remarks>
internal sealed class ProgressDisplay
{
    /// <summary>The window the current rate is measured over.</summary>
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(3);

    /// <summary>How often the line is redrawn.</summary>
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(250);

    private const string EraseLine = "\u001b[K";
    private const string CursorUp = "\u001b[1A";
    private const string CursorDown = "\u001b[1B";

    private readonly Lock _lock = new();
    private readonly Queue<RunProgress> _recent = new();
    private readonly TextWriter _terminal;
    private readonly Func<int> _width;
    private readonly bool _unicode;
    private RunProgress _latest;
    private string? _lastError;
    private int _linesDrawn;

    /// <param name="terminal">The terminal's stderr.</param>
    /// <param name="width">The terminal's width now (read at every redraw: it may be resized).</param>
    /// <param name="unicode">Whether the terminal takes block characters for the bar.</param>
    public ProgressDisplay(TextWriter terminal, Func<int> width, bool unicode)
    {
        _terminal = terminal;
        _width = width;
        _unicode = unicode;
    }

    /// <summary>A display on <paramref name="console"/>'s stderr, fitted to its width.</summary>
    public static ProgressDisplay For(CliConsole console) =>
        new(console.Error, () => console.ErrorWidth, console.Error.Encoding.CodePage == System.Text.Encoding.UTF8.CodePage);

    public void Report(RunProgress progress)
    {
        lock (_lock)
        {
            _latest = progress;
            if (_recent.Count == 0 || progress.Elapsed - _recent.Last().Elapsed >= TimeSpan.FromMilliseconds(200))
            {
                _recent.Enqueue(progress);
                while (_recent.Count > 1 && progress.Elapsed - _recent.Peek().Elapsed > RateWindow)
                {
                    _recent.Dequeue();
                }
            }

            if (progress.LastResult is { Status: FileStatus.Failed } failed)
            {
                _lastError = $"{failed.RelativePath}: {failed.Error}";
            }
        }
    }

    /// <summary>Starts <paramref name="start"/> and shows the display until it ends, redrawing a few times a second; the display is cleared whatever ends it.</summary>
    public async Task<T> ShowWhileAsync<T>(Func<Task<T>> start)
    {
        try
        {
            var run = start();
            while (!run.IsCompleted)
            {
                Draw();
                await Task.WhenAny(run, Task.Delay(Refresh)).ConfigureAwait(false);
            }

            return await run.ConfigureAwait(false);
        }
        finally
        {
            Clear();
        }
    }

    /// <summary>Writes a whole line to <paramref name="writer"/> (stdout, say, on the same terminal) above the display, which is then drawn again below it.</summary>
    public void WriteAbove(TextWriter writer, string line)
    {
        lock (_lock)
        {
            var drawn = _linesDrawn > 0;
            ClearLocked();
            writer.WriteLine(line);
            writer.Flush();
            if (drawn)
            {
                DrawLocked();
            }
        }
    }

    /// <summary>The figures the line shows now: the current rate over the last few seconds, the ETA from bytes once the total is known.</summary>
    internal ProgressFigures Figures()
    {
        RunProgress p;
        RunProgress from;
        lock (_lock)
        {
            p = _latest;
            from = _recent.Count > 0 ? _recent.Peek() : default;
        }

        var seconds = Math.Max((p.Elapsed - from.Elapsed).TotalSeconds, 0.001);
        var fileRate = Math.Max(0, (p.FilesDone - from.FilesDone) / seconds);
        var byteRate = Math.Max(0, (p.BytesRead - from.BytesRead) / seconds);

        // From bytes: the ETA moves even while one large file is in flight.
        TimeSpan? eta = p.WalkCompleted && byteRate > 0 ? TimeSpan.FromSeconds(Math.Max(0, p.BytesFound - p.BytesRead) / byteRate)
            : p.WalkCompleted && fileRate > 0 ? TimeSpan.FromSeconds(Math.Max(0, p.FilesFound - p.FilesDone) / fileRate)
            : null;
        return new ProgressFigures(p.FilesDone, p.FilesFound, p.BytesRead, Math.Max(p.BytesFound, p.BytesRead), p.WalkCompleted, fileRate, byteRate, eta, p.FilesFailed);
    }

    private void Draw()
    {
        lock (_lock)
        {
            DrawLocked();
        }
    }

    private void DrawLocked()
    {
        var width = _width();
        var text = "\r" + ProgressLine.Format(Figures(), width, _unicode) + EraseLine;
        var lines = 1;
        if (_lastError is { } error)
        {
            // The first time, a new line (which scrolls at the bottom of the screen); then the one already there.
            text += (_linesDrawn == 2 ? CursorDown + "\r" : "\n") + ProgressLine.LastError(error, width) + EraseLine + CursorUp;
            lines = 2;
        }

        _terminal.Write(text + "\r");
        _terminal.Flush();
        _linesDrawn = lines;
    }

    private void Clear()
    {
        lock (_lock)
        {
            ClearLocked();
        }
    }

    private void ClearLocked()
    {
        if (_linesDrawn > 0)
        {
            _terminal.Write("\r" + EraseLine + (_linesDrawn == 2 ? CursorDown + EraseLine + CursorUp : string.Empty) + "\r");
            _terminal.Flush();
            _linesDrawn = 0;
        }
    }
}
