using System.Diagnostics;
using System.Globalization;
using System.Text;
using Pipeline.Transforms;

namespace Pipeline.Exec;

/// <summary>
/// Runs a command for each file, as GNU parallel and <c>xargs</c> do, with the run's guarantees: by default a filter
/// (the file's content on its standard input, its standard output as the file's output, written atomically);
/// placeholders in its arguments name the file instead (<c>{}</c>: the command reads the file itself, no standard
/// input) or where to write (<c>{out}</c>: a temporary path renamed into place on success; standard output is not the
/// output). Placeholders, each replaced inside its own argument, never split and never seen by a shell:
/// <c>{}</c> the input's full path, <c>{.}</c> it without its extension, <c>{/}</c> its name, <c>{//}</c> its folder,
/// <c>{/.}</c> its name without extension, <c>{#}</c> its number in the walk (from 1), <c>{rel}</c> its path relative
/// to the input root, <c>{out}</c> the output's temporary path. With <see cref="ExecOptions.Shell"/>, one command line
/// runs under <c>/bin/sh -c</c> with each value single-quoted, so no file name can run a command.
/// A file fails when its command exits with a code not in <see cref="ExecOptions.OkExitCodes"/> or runs past
/// <see cref="ExecOptions.Timeout"/> (then it and its child processes are killed), with the exit code and the last
/// lines of its standard error; nothing of its output is left. The command gets <c>PIPELINE_INPUT</c>,
/// <c>PIPELINE_RELATIVE_PATH</c> and, with <c>{out}</c>, <c>PIPELINE_OUTPUT</c> in its environment.
/// </summary>
public sealed class ExecTransform : AsyncFileTransform
{
    /// <summary>The shell a command line runs under with <see cref="ExecOptions.Shell"/>.</summary>
    public const string ShellPath = "/bin/sh";

    private const int StderrKept = 8 * 1024;
    private const int DiskFullErrno = 28; // ENOSPC
    private static readonly string[] Placeholders = ["{}", "{.}", "{/}", "{//}", "{/.}", "{#}", "{rel}", "{out}"];

    private readonly ExecOptions _options;
    private readonly HashSet<int> _ok;
    private readonly bool _readsFileItself;
    private readonly bool _writesOutputItself;
    private string? _program;
    private List<string>? _environment;

    /// <summary>Checks <paramref name="options"/> and makes the transform; <see cref="Resolve"/> checks the command can be run.</summary>
    /// <exception cref="ArgumentException">No command, an empty output name, <c>{out}</c> with <see cref="ExecOptions.NoOutput"/>, or a value out of range.</exception>
    public ExecTransform(ExecOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Command.Count == 0 || string.IsNullOrEmpty(options.Command[0]))
        {
            throw new ArgumentException("no command given", nameof(options));
        }

        if (options.Shell && options.Command.Count != 1)
        {
            throw new ArgumentException("a shell command line is one element of the command", nameof(options));
        }

        if (string.IsNullOrWhiteSpace(options.OutputName) || options.OutputName.Replace("{rel.}", string.Empty, StringComparison.Ordinal).Replace("{rel}", string.Empty, StringComparison.Ordinal).Replace("{/.}", string.Empty, StringComparison.Ordinal).Replace("{/}", string.Empty, StringComparison.Ordinal).Length == options.OutputName.Length)
        {
            throw new ArgumentException($"the output name '{options.OutputName}' names no field of the input ({{rel}}, {{rel.}}, {{/}} or {{/.}}): every file's output would land on one path", nameof(options));
        }

        if (Path.IsPathRooted(options.OutputName) || options.OutputName.Split('/').Any(part => part is ".." or "."))
        {
            throw new ArgumentException($"the output name '{options.OutputName}' is not a path inside the output folder", nameof(options));
        }

        if (options.Timeout is { } timeout && (timeout < TimeSpan.FromMilliseconds(1) || timeout > TimeSpan.FromDays(1)))
        {
            throw new ArgumentException("the time-out must be between 1 ms and 1 day", nameof(options));
        }

        if (options.MaxConcurrency is < 1 or > 1024)
        {
            throw new ArgumentException("the number of commands at once must be between 1 and 1024", nameof(options));
        }

        _options = options;
        _ok = [.. options.OkExitCodes];
        _readsFileItself = options.Command.Any(a => a.Contains("{}", StringComparison.Ordinal));
        _writesOutputItself = options.Command.Any(a => a.Contains("{out}", StringComparison.Ordinal));
        if (_writesOutputItself && options.NoOutput)
        {
            throw new ArgumentException("{out} names an output, and the options say there is none", nameof(options));
        }

        // Everything that changes what the command writes: another command redoes every file on --resume.
        var fingerprint = new StringBuilder("exec:");
        fingerprint.Append(options.Shell ? "shell" : "argv").Append(':').Append(options.NoOutput ? "none" : options.OutputName);
        fingerprint.Append(":ok=").Append(string.Join(',', options.OkExitCodes.Order()));
        foreach (var argument in options.Command)
        {
            fingerprint.Append(':').Append(argument.Length.ToString(CultureInfo.InvariantCulture)).Append('=').Append(argument);
        }

        Fingerprint = fingerprint.ToString();
    }

    /// <inheritdoc/>
    public override string Name => "exec";

    /// <inheritdoc/>
    public override string Fingerprint { get; }

    /// <inheritdoc/>
    public override int? MaxConcurrency => _options.MaxConcurrency;

    /// <summary>
    /// Where the command is found: the program's full path (searched on <c>PATH</c> when its name has no <c>/</c>), or
    /// <see cref="ShellPath"/> with <see cref="ExecOptions.Shell"/>. Call it before a run: a command that cannot be run
    /// then stops the run before any file is touched.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such program, or it is not executable.</exception>
    public string Resolve()
    {
        var program = _options.Shell ? ShellPath : _options.Command[0];
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return IsExecutable(program) ? Path.GetFullPath(program) : throw new FileNotFoundException($"command not found or not executable: {program}", program);
        }

        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Join(folder, program);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"command not found: {program} (not on PATH)", program);
    }

    /// <inheritdoc/>
    public override string? GetOutputPath(string relativePath)
    {
        if (_options.NoOutput)
        {
            return null;
        }

        var name = Path.GetFileName(relativePath);
        return _options.OutputName
            .Replace("{rel.}", WithoutExtension(relativePath), StringComparison.Ordinal)
            .Replace("{rel}", relativePath, StringComparison.Ordinal)
            .Replace("{/.}", WithoutExtension(name), StringComparison.Ordinal)
            .Replace("{/}", name, StringComparison.Ordinal);
    }

    /// <summary>The command line <paramref name="file"/> gets, shell-quoted for reading (<c>{out}</c> shown as the output's final path under <paramref name="outputRoot"/>).</summary>
    public string CommandLineFor(Sources.SourceFile file, string outputRoot)
    {
        ArgumentNullException.ThrowIfNull(file);
        var output = GetOutputPath(file.RelativePath) is { } relative ? Path.Join(outputRoot, relative) : string.Empty;
        var arguments = Arguments(file, output);
        return string.Join(' ', arguments.Select(ShellQuote));
    }

    /// <inheritdoc/>
    /// <remarks>On Linux, true: the command's standard input is the opened file itself (and its standard output the output's temporary file), so no byte passes through this process.</remarks>
    public override bool TakesOpenFile => ChildProcess.IsSupported;

    /// <inheritdoc/>
    public override ValueTask<object?> ProcessAsync(FileWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return work.InputHandle is not null || (ChildProcess.IsSupported && _readsFileItself)
            ? SpawnAsync(work, cancellationToken)
            : RunAsync(work, cancellationToken);
    }

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

        var program = _program ??= Resolve();
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

        return new CommandOutcome(code, stderr.Lines());
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
            throw new CommandFailedException($"cannot run {start.FileName}: {ex.Message}", null, timedOut: false);
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

        return new CommandOutcome(code, stderr.Lines());
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

    private List<string> Arguments(Sources.SourceFile file, string output)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["{}"] = file.FullPath,
            ["{.}"] = WithoutExtension(file.FullPath),
            ["{/}"] = Path.GetFileName(file.FullPath),
            ["{//}"] = Path.GetDirectoryName(file.FullPath) ?? "/",
            ["{/.}"] = WithoutExtension(Path.GetFileName(file.FullPath)),
            ["{#}"] = (file.Sequence + 1).ToString(CultureInfo.InvariantCulture),
            ["{rel}"] = file.RelativePath,
            ["{out}"] = output,
        };
        Func<string, string> quote = _options.Shell ? ShellQuote : static v => v;
        var replaced = _options.Command.Select(argument => Replace(argument, values, quote)).ToList();
        return _options.Shell ? [ShellPath, "-c", replaced[0]] : replaced;
    }

    /// <summary>Replaces every placeholder of <paramref name="argument"/> in one pass (a value that holds a placeholder's text is never replaced again).</summary>
    private static string Replace(string argument, Dictionary<string, string> values, Func<string, string> quote)
    {
        var result = new StringBuilder(argument.Length);
        for (var i = 0; i < argument.Length;)
        {
            var matched = argument[i] == '{' ? Placeholders.Where(p => string.CompareOrdinal(argument, i, p, 0, p.Length) == 0).OrderByDescending(p => p.Length).FirstOrDefault() : null;
            if (matched is null)
            {
                result.Append(argument[i++]);
                continue;
            }

            result.Append(quote(values[matched]));
            i += matched.Length;
        }

        return result.ToString();
    }

    /// <summary>A value as one word for <c>/bin/sh</c>: single-quoted, a single quote written as <c>'\''</c>; nothing in it is interpreted.</summary>
    internal static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string WithoutExtension(string path)
    {
        var slash = path.LastIndexOf('/');
        var dot = path.LastIndexOf('.');
        return dot > slash + 1 ? path[..dot] : path;
    }

    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        return (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }

    private static string Seconds(TimeSpan time) =>
        time.TotalSeconds >= 1 ? time.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s" : time.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";
}
