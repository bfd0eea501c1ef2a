using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Pipeline.Tests.Hostile;

/// <summary>
/// The real <c>pipeline</c> as a child process whose every wait has a deadline: a child that hangs fails the test
/// and is killed (with anything it started), so a hang is a red test, never a stuck suite.
/// </summary>
public sealed partial class RunningChild : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly string _commandLine;

    internal RunningChild(ProcessStartInfo start)
    {
        _commandLine = string.Join(' ', start.ArgumentList.Prepend(start.FileName).Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a));
        _process = Process.Start(start)!;

        // Nothing may ever wait for input: the child's stdin is closed from the start.
        _process.StandardInput.Close();
        _stdout = _process.StandardOutput.ReadToEndAsync();
        _stderr = _process.StandardError.ReadToEndAsync();
    }

    /// <summary>The child's process id (the <c>pipeline</c> process itself: <c>setpriv</c> execs it).</summary>
    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Sends <paramref name="signal"/> (e.g. 15 = SIGTERM) to the child.</summary>
    public void Signal(int signal) =>
        Assert.True(SendSignal(_process.Id, signal) == 0, $"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");

    /// <summary>Waits for the child to exit; if it has not within <paramref name="timeout"/>, kills it and fails the test as hung.</summary>
    public async Task<ChildOutcome> WaitAsync(TimeSpan timeout)
    {
        var remaining = timeout - _clock.Elapsed;
        using var deadline = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            var partial = await _stderr.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Fail($"hung: `{_commandLine}` had not exited after {timeout.TotalSeconds:0} s and was killed\n--- stderr so far ---\n{partial}");
        }

        var elapsed = _clock.Elapsed;
        return new ChildOutcome(_process.ExitCode, await _stdout, await _stderr, elapsed);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
