using Pipeline.Running;
using Spectre.Console;

namespace Pipeline.Cli.Output;

/// <summary>
/// The live progress line on a terminal's stderr: files done of found (found grows while the walk goes on), bytes,
/// current rate, ETA once the total is known, and failures so far. Absent when stderr is redirected, so logs stay clean.
/// </summary>
internal sealed class ProgressDisplay
{
    private readonly Lock _lock = new();
    private RunProgress _latest;
    private string? _lastError;

    public void Report(RunProgress progress)
    {
        lock (_lock)
        {
            _latest = progress;
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
        string? error;
        lock (_lock)
        {
            p = _latest;
            error = _lastError;
        }

        var seconds = Math.Max(p.Elapsed.TotalSeconds, 0.001);
        var rate = p.FilesDone / seconds;
        var total = p.WalkCompleted ? Units.Count(p.FilesFound) : Units.Count(p.FilesFound) + "+";
        var eta = p.WalkCompleted && rate > 0 ? TimeSpan.FromSeconds((p.FilesFound - p.FilesDone) / rate).ToString(@"h\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture) : "--";
        var line = $"[bold]{Units.Count(p.FilesDone)}[/] / {total} files  {Units.Megabytes(p.BytesDone)} MB  {Units.Fixed(rate, 0)} files/s  {Units.Fixed(p.BytesDone / 1e6 / seconds, 1)} MB/s  ETA {eta}  "
            + (p.FilesFailed > 0 ? $"[red]{Units.Count(p.FilesFailed)} failed[/]" : "0 failed");
        if (error is not null)
        {
            line += $"\n[red]last error:[/] {Markup.Escape(error)}";
        }

        return new Markup(line);
    }
}
