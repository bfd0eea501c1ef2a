using System.Diagnostics;
using System.Globalization;
using System.Text;
using Pipeline.Transforms;

namespace Pipeline.Exec;

/// <summary>The exec transform, continued: running the command for one file, as a child process of our own or through the runtime's Process.</summary>
public sealed partial class ExecTransform
{
    /// <summary>
    /// Runs the command with the opened input as its standard input (or nothing, when it reads the file by name) and the
    /// output's temporary file as its standard output (or nothing, when it writes <c>{out}</c> or has no output); its
    /// standard error comes back through a socket, kept per file.
    /// </summary>
    private async ValueTask<object?> SpawnAsync(FileWork work, CancellationToken cancellationToken)
    {
        var output = _writesOutputItself ? work.OutputPath : null;
        var argv = Arguments(work.File, output ?? string.Empty);
        var environment = new List<string>(BaseEnvironment)
        {
            "PIPELINE_INPUT=" + work.File.FullPath,
            "PIPELINE_RELATIVE_PATH=" + work.File.RelativePath,
        };
        if (output is not null)
        {
            environment.Add("PIPELINE_OUTPUT=" + output);
        }

        var program = _program ??= ResolveForARun();
        using var nothing = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite);
        var stdin = _readsFileItself || work.InputHandle is null ? nothing : (System.Runtime.InteropServices.SafeHandle)work.InputHandle;
        var stdout = _writesOutputItself || _options.NoOutput ? nothing : (System.Runtime.InteropServices.SafeHandle)work.OutputHandle;
        var (ours, theirs) = StderrSocket.Pair();
        using var stderrSocket = ours;
        ChildProcess child;
        using (theirs)
        {
            child = ChildProcess.Start(program, argv, environment, stdin, stdout, theirs.SafeHandle);
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_options.Timeout is { } timeout)
        {
            limit.CancelAfter(timeout);
        }

        var stderr = new StderrTail(StderrKept);
        using var stderrStream = new System.Net.Sockets.NetworkStream(stderrSocket, ownsSocket: false);
        using var stopReading = new CancellationTokenSource();
        var errors = stderr.ReadAsync(stderrStream, stopReading.Token);
        int status;
        using (limit.Token.Register(child.KillGroup))
        {
            status = await child.Exited.ConfigureAwait(false);
        }

        // Its group is gone; a daemon it started in a session of its own may still hold standard error: read what
        // came, and stop waiting for the rest soon.
        stopReading.CancelAfter(TimeSpan.FromSeconds(1));
        await errors.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
        if (limit.IsCancellationRequested)
        {
            throw new CommandFailedException($"timed out after {Seconds(_options.Timeout!.Value)}: the command and its child processes were killed{stderr.Describe()}", null, timedOut: true);
        }

        var code = ChildProcess.ExitCode(status);
        if (!_ok.Contains(code) || ChildProcess.Signal(status) != 0)
        {
            var how = ChildProcess.Signal(status) is var signal and > 0 ? $"killed by signal {signal}" : $"exit {code}";
            var failed = new CommandFailedException($"command failed: {how}{stderr.Describe()}", code, timedOut: false);

            // The command wrote its output itself: a full disk is its error, told as the run tells its own.
            var written = output ?? (stdout == nothing ? null : work.OutputPath); // the file fails: asking for the path changes nothing
            throw IsFull(written) ? new IOException("No space left on device", failed) { HResult = DiskFullErrno } : failed;
        }

        return new CommandOutcome(code, stderr.Lines(all: true));
    }

    /// <summary>Whether the file system <paramref name="path"/> is on has no space left (for this user).</summary>
    private static bool IsFull(string? path)
    {
        try
        {
            return path is not null && new DriveInfo(Path.GetDirectoryName(path)!).AvailableFreeSpace == 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The environment every command gets, before its file's own variables.</summary>
    private List<string> BaseEnvironment => _environment ??= [.. Environment.GetEnvironmentVariables()
        .Cast<System.Collections.DictionaryEntry>()
        .Select(e => (Name: (string)e.Key, Value: (string?)e.Value ?? string.Empty))
        .Where(e => e.Name is not ("PIPELINE_INPUT" or "PIPELINE_RELATIVE_PATH" or "PIPELINE_OUTPUT"))
        .Select(e => e.Name + "=" + e.Value)];

    /// <summary>Runs the command through the runtime's <see cref="Process"/>, its content copied to its standard input and its standard output to the output.</summary>
    private async ValueTask<object?> RunAsync(FileWork work, CancellationToken cancellationToken)
    {
        var output = _writesOutputItself ? work.OutputPath : null;
        var argv = Arguments(work.File, output ?? string.Empty);
        var start = new ProcessStartInfo(argv[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        for (var i = 1; i < argv.Count; i++)
        {
            start.ArgumentList.Add(argv[i]);
        }

        start.Environment["PIPELINE_INPUT"] = work.File.FullPath;
        start.Environment["PIPELINE_RELATIVE_PATH"] = work.File.RelativePath;
        if (output is not null)
        {
            start.Environment["PIPELINE_OUTPUT"] = output;
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new CommandFailedException($"cannot run {start.FileName}: {ex.Message}", null, timedOut: false, ex);
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_options.Timeout is { } timeout)
        {
            limit.CancelAfter(timeout);
        }

        // A failed read of the input (it changed while read) or write of the output (a full disk) ends the wait at
        // once: a command left writing to a pipe nobody reads would never exit.
        async Task WatchedAsync(Func<Task> step)
        {
            try
            {
                await step().ConfigureAwait(false);
            }
            catch (Exception) when (!limit.IsCancellationRequested)
            {
                await limit.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }

        var stderr = new StderrTail(StderrKept);
        var feeding = WatchedAsync(() => FeedAsync(process, _readsFileItself ? null : work.Input, limit.Token));
        var draining = WatchedAsync(() => _writesOutputItself || _options.NoOutput
            ? process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, limit.Token)
            : process.StandardOutput.BaseStream.CopyToAsync(work.Output, 64 * 1024, limit.Token));
        var errors = stderr.ReadAsync(process.StandardError.BaseStream, limit.Token);
        var io = Task.WhenAll(feeding, draining, errors);
        var exited = process.WaitForExitAsync(limit.Token);
        try
        {
            await exited.ConfigureAwait(false);
            await io.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            Kill(process); // the command and its child processes: none outlives its file
            await Task.WhenAll(io, exited).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
            if (io.Exception?.InnerExceptions.FirstOrDefault(e => e is not OperationCanceledException) is { } failure)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            }

            throw new CommandFailedException($"timed out after {Seconds(_options.Timeout!.Value)}: the command and its child processes were killed{stderr.Describe()}", null, timedOut: true);
        }

        var code = process.ExitCode;
        if (!_ok.Contains(code))
        {
            var how = code > 128 && code < 128 + 65 ? $"exit {code} (as when killed by signal {code - 128})" : $"exit {code}";
            throw new CommandFailedException($"command failed: {how}{stderr.Describe()}", code, timedOut: false);
        }

        return new CommandOutcome(code, stderr.Lines(all: true));
    }

    /// <summary>Streams the file's content to the command's standard input, then closes it (no content: closed at once).</summary>
    private static async Task FeedAsync(Process process, Stream? input, CancellationToken cancellationToken)
    {
        var stdin = process.StandardInput.BaseStream;
        var buffer = input is null ? null : System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (input is not null)
            {
                // A failed read (the file changed while read) fails the file; a failed write means the command
                // closed its input before the end (head, say): what it read is what it wanted, its exit code tells.
                var n = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                try
                {
                    await stdin.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    break;
                }
            }
        }
        finally
        {
            if (buffer is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }

            try
            {
                await stdin.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The pipe is broken: the command is gone, which its exit code tells.
            }
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
