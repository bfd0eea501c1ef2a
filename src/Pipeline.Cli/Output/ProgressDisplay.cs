using Pipeline.Running;
using Spectre.Console;

namespace Pipeline.Cli.Output;

/// <summary>
/// The live progress line on a terminal's stderr: files done of found (found grows while the walk goes on), bytes,
/// current rate, ETA once the total is known, and failures so far. Absent when stderr is redirected, so logs stay clean.
/// </summary>
internal sealed class ProgressDisplay
{
    /// <summary>The window the current rate is measured over.</summary>
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(3);

    private readonly Lock _lock = new();
    private readonly Queue<RunProgress> _recent = new();
    private RunProgress _latest;
    private string? _lastError;

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

    /// <summary>Starts <paramref name="start"/> and shows the display on <paramref name="console"/> until it ends, refreshing a few times a second.</summary>
    public async Task<T> ShowWhileAsync<T>(IAnsiConsole console, Func<Task<T>> start)
    {
        T result = default!;
        await console.Live(Render()).AutoClear(true).StartAsync(async context =>
        {
            var run = start();
            while (!run.IsCompleted)
            {
                context.UpdateTarget(Render());
                await Task.WhenAny(run, Task.Delay(250));
            }

            result = await run;
        });
        return result;
    }

    private Markup Render()
    {
        RunProgress p;
        RunProgress from;
        string? error;
        lock (_lock)
        {
            p = _latest;
            from = _recent.Count > 0 ? _recent.Peek() : default;
            error = _lastError;
        }

        // The current rate: over the last few seconds, not since the start.
        var seconds = Math.Max((p.Elapsed - from.Elapsed).TotalSeconds, 0.001);
        var fileRate = (p.FilesDone - from.FilesDone) / seconds;
        var byteRate = (p.BytesRead - from.BytesRead) / seconds;
        var files = p.WalkCompleted ? Units.Count(p.FilesFound) : Units.Count(p.FilesFound) + "+";
        var bytes = p.WalkCompleted ? Units.Megabytes(p.BytesFound) : Units.Megabytes(p.BytesFound) + "+";

        // ETA from bytes once the total is known: it moves even while one large file is in flight.
        var eta = p.WalkCompleted && byteRate > 0
            ? TimeSpan.FromSeconds(Math.Max(0, p.BytesFound - p.BytesRead) / byteRate).ToString(@"h\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture)
            : "--";
        var line = $"[bold]{Units.Count(p.FilesDone)}[/] / {files} files  {Units.Megabytes(p.BytesRead)} / {bytes} MB  "
            + $"{Units.Fixed(fileRate, 0)} files/s  {Units.Fixed(byteRate / 1e6, 1)} MB/s  ETA {eta}  "
            + (p.FilesFailed > 0 ? $"[red]{Units.Count(p.FilesFailed)} failed[/]" : "0 failed");
        if (error is not null)
        {
            line += $"\n[red]last error:[/] {Markup.Escape(error)}";
        }

        return new Markup(line);
    }
}
