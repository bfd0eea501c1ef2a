using System.Diagnostics;
using System.Globalization;
using System.Text;
using Pipeline.Running;
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
/// runs under <c>/bin/sh -c</c> with each value quoted for where it stands (bare, or inside the line's own double or
/// single quotes, or backquotes), so no file name can run a command; a name starting with <c>-</c> that
/// starts a word is given as <c>./-name</c>, so no command takes it for an option.
/// A file fails when its command exits with a code not in <see cref="ExecOptions.OkExitCodes"/> or runs past
/// <see cref="ExecOptions.Timeout"/> (then it and its child processes are killed), with the exit code and the last
/// lines of its standard error; nothing of its output is left. The command gets <c>PIPELINE_INPUT</c>,
/// <c>PIPELINE_RELATIVE_PATH</c> and, with <c>{out}</c>, <c>PIPELINE_OUTPUT</c> in its environment.
/// </summary>
public sealed partial class ExecTransform : AsyncFileTransform
{
    /// <summary>The shell a command line runs under with <see cref="ExecOptions.Shell"/>.</summary>
    internal const string ShellPath = "/bin/sh";

    private const int StderrKept = 8 * 1024;
    private const int DiskFullErrno = 28; // ENOSPC
    private static readonly string[] Placeholders = ["{}", "{.}", "{/}", "{//}", "{/.}", "{#}", "{rel}", "{out}"];

    private readonly ExecOptions _options;
    private readonly HashSet<int> _ok;
    private readonly bool _readsFileItself;
    private readonly bool _writesOutputItself;
    private string? _program;
    private List<string>? _environment;

    /// <summary>Copies and checks <paramref name="options"/> and makes the transform; <see cref="Resolve"/> checks the command can be run.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="PipelineOptionsException">Every problem <see cref="ExecOptions.Validate"/> finds.</exception>
    public ExecTransform(ExecOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options = options.Clone();
        options.Validate();
        _options = options;
        _ok = [.. options.OkExitCodes];
        _readsFileItself = options.Command.Any(a => a.Contains("{}", StringComparison.Ordinal));
        _writesOutputItself = options.Command.Any(a => a.Contains("{out}", StringComparison.Ordinal));

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
    /// <c>/bin/sh</c> with <see cref="ExecOptions.Shell"/>. Call it before a run: a command that cannot be run
    /// then stops the run before any file is touched.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such program, or it is not executable.</exception>
    public string Resolve()
    {
        var program = _options.Shell ? ShellPath : _options.Command[0];
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return IsExecutable(program) ? Startable(Path.GetFullPath(program)) : throw new FileNotFoundException($"command not found or not executable: {program}", program);
        }

        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Join(folder, program);
            if (IsExecutable(candidate))
            {
                return Startable(candidate);
            }
        }

        throw new FileNotFoundException($"command not found: {program} (not on PATH)", program);
    }

    /// <summary>
    /// <paramref name="path"/>, once its first bytes show the system can start it (Linux): a script's <c>#!</c> line must
    /// name an interpreter that exists and can be run, and anything else must be a binary (ELF), unless the system runs
    /// other formats too (binfmt_misc). Otherwise every file would fail with the same error; now the run does not start.
    /// </summary>
    private static string Startable(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return path;
        }

        // Only a regular file can be run; and reading a named pipe's head would wait for a writer.
        if (Safety.FileNode.Find(path) is { Kind: not Safety.FileNodeKind.Regular } node)
        {
            throw new FileNotFoundException($"cannot run {path}: it is a {Safety.FileNode.Describe(node.Kind)}, not a program", path);
        }

        Span<byte> head = stackalloc byte[256];
        int read;
        try
        {
            using var file = File.OpenHandle(path);
            read = RandomAccess.Read(file, head, 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return path; // runnable but not readable (mode 0111): the system will say
        }

        head = head[..read];
        if (head.StartsWith("#!"u8))
        {
            var line = Encoding.UTF8.GetString(head[2..]).Split('\n')[0].Trim();
            var interpreter = line.Split([' ', '\t'], 2)[0];
            return interpreter.Length > 0 && IsExecutable(interpreter) ? path
                : throw new FileNotFoundException($"cannot run {path}: its #! line names {(interpreter.Length == 0 ? "no interpreter" : $"{interpreter}, which does not exist or is not executable")}", path);
        }

        return head.StartsWith((ReadOnlySpan<byte>)[0x7F, (byte)'E', (byte)'L', (byte)'F']) || OtherFormatsRegistered() ? path
            : throw new FileNotFoundException($"cannot run {path}: it is neither a program the system can start (a binary) nor a script with a #! line", path);
    }

    private static bool OtherFormatsRegistered()
    {
        try
        {
            return Directory.EnumerateFileSystemEntries("/proc/sys/fs/binfmt_misc").Any(e => Path.GetFileName(e) is not ("register" or "status"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    /// <summary><see cref="Resolve"/> for a file's command: a program that cannot be run fails the file as a command that could not start.</summary>
    private string ResolveForARun()
    {
        try
        {
            return Resolve();
        }
        catch (FileNotFoundException ex)
        {
            throw new CommandFailedException(ex.Message, null, timedOut: false, ex);
        }
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
        // A name that starts with '-' and starts a word is given as ./-name, so that no command takes it for an option.
        string ValueOf(string placeholder, bool startsWord) =>
            startsWord && placeholder is "{/}" or "{/.}" or "{rel}" && values[placeholder].StartsWith('-') ? "./" + values[placeholder] : values[placeholder];

        return _options.Shell
            ? [ShellPath, "-c", ShellLine.Substitute(_options.Command[0], Placeholders, ValueOf)]
            : [.. _options.Command.Select(argument => Replace(argument, ValueOf))];
    }

    /// <summary>Replaces every placeholder of <paramref name="argument"/> in one pass (a value that holds a placeholder's text is never replaced again).</summary>
    private static string Replace(string argument, Func<string, bool, string> valueOf)
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

            result.Append(valueOf(matched, i == 0));
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
