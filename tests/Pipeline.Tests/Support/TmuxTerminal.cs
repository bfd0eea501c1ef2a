using System.Diagnostics;

namespace Pipeline.Tests.Support;

/// <summary>
/// A real pseudo-terminal of a given size, driven through tmux on a server of its own (its own socket in a folder of its
/// own, the server killed and the folder removed at the end): a command runs in it as in a user's terminal, keys can be sent to it (Ctrl+C), and what the screen shows is
/// read back with <c>capture-pane</c>, wrapped lines joined, so a line wider than the terminal shows as one long line.
/// </summary>
public sealed class TmuxTerminal : IAsyncDisposable
{
    /// <summary>What the shell prints once the command has ended, followed by its exit code.</summary>
    public const string ExitMarker = "[pipeline exited ";

    private readonly string _tmux;
    private readonly DirectoryInfo _folder;

    private TmuxTerminal(string tmux, DirectoryInfo folder)
    {
        _tmux = tmux;
        _folder = folder;
    }

    /// <summary>Starts <paramref name="command"/> (a shell command line) in a terminal <paramref name="columns"/> wide, in <paramref name="workingDirectory"/>.</summary>
    public static async Task<TmuxTerminal> StartAsync(string command, int columns, int rows, string workingDirectory)
    {
        var tmux = await DebianTool.EnsureAsync("tmux", "tmux");
        var terminal = new TmuxTerminal(tmux, Directory.CreateTempSubdirectory("pipeline-tmux-"));

        // The shell stays after the command, so the last screen can still be read; COLUMNS as a login shell would set it.
        var script = $"export COLUMNS={columns}; {command}; echo \"{ExitMarker}$?]\"; exec sleep 600";
        try
        {
            await terminal.TmuxAsync("new-session", "-d", "-s", "t", "-x", columns.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-y", rows.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", workingDirectory, "sh", "-c", script);
        }
        catch
        {
            await terminal.DisposeAsync(); // its socket folder goes too
            throw;
        }

        return terminal;
    }

    /// <summary>The screen now (with its history), each line as the program wrote it: lines the terminal wrapped are joined again.</summary>
    public async Task<string[]> CaptureAsync()
    {
        var text = await TmuxAsync("capture-pane", "-p", "-J", "-S", "-", "-t", "t");
        return text.TrimEnd('\n').Split('\n');
    }

    /// <summary>Captures every few tens of milliseconds until <paramref name="condition"/> holds for a screen; fails after <paramref name="timeout"/>.</summary>
    public async Task<string[]> WaitForAsync(Func<string[], bool> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var screen = await CaptureAsync();
            if (condition(screen))
            {
                return screen;
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"waited {timeout.TotalSeconds} s for {what}; the screen:\n{string.Join('\n', screen)}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits for the command to end and returns its exit code and the last screen.</summary>
    public async Task<(int ExitCode, string[] Screen)> WaitForExitAsync(TimeSpan timeout)
    {
        var screen = await WaitForAsync(s => s.Any(l => l.StartsWith(ExitMarker, StringComparison.Ordinal)), timeout, "the command to end");
        var marker = screen.Last(l => l.StartsWith(ExitMarker, StringComparison.Ordinal));
        return (int.Parse(marker[ExitMarker.Length..^1], System.Globalization.CultureInfo.InvariantCulture), screen);
    }

    /// <summary>Types keys into the terminal, in tmux's names (<c>C-c</c> for Ctrl+C).</summary>
    public Task SendKeysAsync(string keys) => TmuxAsync("send-keys", "-t", "t", keys);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await TmuxAsync("kill-server");
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _folder.Delete(recursive: true);
    }

    private async Task<string> TmuxAsync(params string[] args)
    {
        var outcome = await ExternalCommand.RunAsync(_tmux, ["-S", Path.Join(_folder.FullName, "socket"), .. args], Path.GetTempPath(), TimeSpan.FromSeconds(30));
        return outcome.ExitCode == 0 ? outcome.Out : throw new InvalidOperationException($"tmux {string.Join(' ', args)}: {outcome}");
    }
}
