using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Pipeline.Tests.Support;

/// <summary>The real <c>pipeline</c> program as a child process, for what only a real process shows: kill -9, signals, a lock held by another process.</summary>
public sealed partial class ChildPipeline : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private ChildPipeline(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public int Id => _process.Id;

    public static ChildPipeline Start(params string[] args)
    {
        var start = ChildStart.For(Path.Join(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "pipeline.exe" : "pipeline"), args);
        return new ChildPipeline(Process.Start(start)!);
    }

    public static async Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args)
    {
        using var child = Start(args);
        return await child.WaitAsync();
    }

    /// <summary>Waits until <paramref name="condition"/> holds, checking often; fails if the child exits first or it takes too long.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the child exited ({_process.ExitCode}) before {what}: {await _stderr}");
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"waited 60 s for {what}");
            }

            await Task.Delay(5);
        }
    }

    public void Kill() => _process.Kill();

    public void Signal(int signal)
    {
        if (SendSignal(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed");
        }
    }

    public async Task<(int ExitCode, string Out, string Error)> WaitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await _process.WaitForExitAsync(timeout.Token);
        return (_process.ExitCode, await _stdout, await _stderr);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int SendSignal(int pid, int signal);
}
