using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Hostile;

/// <summary>
/// One hostile case's world and the checks every case shares. A fresh folder under <c>/tmp</c> (mode 0777, so an
/// unprivileged child can work in it) holds <see cref="In"/> and, unless a case says otherwise, <see cref="Out"/>.
/// Before the first run it snapshots the watched folders (by default the input: SHA-256 of every file, every link's
/// target, walked without following links) and the <c>*.tmp</c> files already there; <see cref="AssertUnharmed"/>
/// then checks that the child did not crash, that nothing watched changed and that it left no new <c>*.tmp</c>.
/// </summary>
public sealed partial class HostileCase : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private readonly List<(string Root, string[] Excluding)> _watched = [];
    private readonly List<string> _mounts = [];
    private readonly List<RunningChild> _children = [];
    private readonly List<Socket> _sockets = [];
    private List<SortedDictionary<string, string>>? _before;
    private HashSet<string>? _tempFilesBefore;

    public HostileCase()
    {
        Root = Path.Join("/tmp", "pipeline-hostile-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Root, (UnixFileMode)0b111_111_111);
        }
        In = Sub("in");
        Directory.CreateDirectory(In);
        Out = Sub("out");
    }

    /// <summary>The case's own folder: everything it creates is under it.</summary>
    public string Root { get; }

    /// <summary><c>Root/in</c>, created empty.</summary>
    public string In { get; }

    /// <summary><c>Root/out</c>, not created.</summary>
    public string Out { get; }

    public static string PipelineExecutable => Path.Join(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "pipeline.exe" : "pipeline");

    public string Sub(string relative) => Path.Join(Root, relative);

    public string Write(string relative, string content) => Write(relative, System.Text.Encoding.UTF8.GetBytes(content));

    public string Write(string relative, byte[] content)
    {
        var full = Sub(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        return full;
    }

    public string Mkdir(string relative) => Directory.CreateDirectory(Sub(relative)).FullName;

    /// <summary>Creates the link <c>Root/relative</c> holding <paramref name="target"/> verbatim (relative targets stay relative).</summary>
    public string Symlink(string relative, string target)
    {
        var full = Sub(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.CreateSymbolicLink(full, target);
        return full;
    }

    /// <summary>Creates named pipes (FIFOs) at the given relative paths, in one <c>mkfifo</c>.</summary>
    public void Fifo(params string[] relatives)
    {
        foreach (var relative in relatives)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Sub(relative))!);
        }

        Sh("mkfifo -- \"$@\"", [.. relatives.Select(Sub)]);
    }

    /// <summary>Binds a Unix domain socket at <c>Root/relative</c>; the socket file stays after the socket is closed.</summary>
    public string UnixSocket(string relative)
    {
        var full = Sub(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        // Kept open for the case's life: .NET removes the socket's file when a socket it bound is disposed.
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _sockets.Add(socket);
        socket.Bind(new UnixDomainSocketEndPoint(full));
        return full;
    }

    /// <summary>Runs a bash script in <see cref="Root"/> (with <c>set -e</c>) and positional arguments; returns stdout (raw bytes as Latin-1).</summary>
    public string Sh(string script, params string[] args) => TreeSnapshot.Run("set -e; " + script, args, Root);

    /// <summary>Mounts (<c>mount args... target</c>), and unmounts when the case ends. Returns false if mount failed.</summary>
    public bool TryMount(string target, params string[] args)
    {
        var start = new ProcessStartInfo("mount") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args.Append(target))
        {
            start.ArgumentList.Add(arg);
        }

        using var mount = Process.Start(start)!;
        mount.WaitForExit(30_000);
        if (mount.ExitCode != 0)
        {
            return false;
        }

        _mounts.Add(target);
        return true;
    }

    /// <summary>Adds a folder to the snapshot (leaving out the subtrees at <paramref name="excluding"/>). With no call, the input is watched.</summary>
    public void Watch(string root, params string[] excluding)
    {
        Assert.Null(_before);
        _watched.Add((root, excluding));
    }

    /// <summary>Takes the "before" snapshot now (otherwise the first run takes it).</summary>
    public void Freeze()
    {
        if (_watched.Count == 0)
        {
            _watched.Add((In, []));
        }

        _before = [.. _watched.Select(w => TreeSnapshot.Take(w.Root, w.Excluding))];
        _tempFilesBefore = [.. TreeSnapshot.TempFiles(Root)];
    }

    public Task<ChildOutcome> RunAsync(params string[] args) => RunAsync(new ChildSettings(), args);

    public async Task<ChildOutcome> RunAsync(ChildSettings settings, params string[] args)
    {
        using var child = Start(settings, args);
        return await child.WaitAsync(settings.Timeout ?? DefaultTimeout);
    }

    /// <summary>Starts the real <c>pipeline</c>; the case kills it at the end if it is still running.</summary>
    public RunningChild Start(ChildSettings settings, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (_before is null)
        {
            Freeze();
        }

        var start = settings.Unprivileged
            ? ChildStart.For("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--", PipelineExecutable, .. args])
            : ChildStart.For(PipelineExecutable, args);
        start.WorkingDirectory = settings.WorkingDirectory ?? Root;
        if (settings.Unprivileged)
        {
            start.Environment["HOME"] = Root;
        }

        foreach (var (name, value) in settings.Environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var child = new RunningChild(start);
        _children.Add(child);
        return child;
    }

    /// <summary>What every hostile case must hold, whatever its exit code: no crash, nothing watched changed, no new <c>*.tmp</c>.</summary>
    public void AssertUnharmed(ChildOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        AssertNoCrash(outcome);
        AssertWatchedUnchanged(outcome);
        AssertNoNewTempFiles(outcome);
    }

    /// <summary>The exit code, a stable part of the message on stderr (case-insensitive), and <see cref="AssertUnharmed"/>.</summary>
    public void AssertOutcome(ChildOutcome outcome, int exitCode, string? message = null)
    {
        AssertExit(outcome, exitCode);
        if (message is not null)
        {
            AssertStderrContains(outcome, message);
        }

        AssertUnharmed(outcome);
    }

    public static void AssertExit(ChildOutcome outcome, params int[] allowed)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        Assert.True(allowed.Contains(outcome.ExitCode), $"expected exit {string.Join(" or ", allowed)}\n{outcome}");
    }

    public static void AssertStderrContains(ChildOutcome outcome, string message)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        Assert.True(outcome.Stderr.Contains(message, StringComparison.OrdinalIgnoreCase), $"expected stderr to contain \"{message}\"\n{outcome}");
    }

    /// <summary>
    /// No stack trace ("   at ..." lines), no "Unhandled exception", no abort by signal (exit 134 = SIGABRT, 139 = SIGSEGV),
    /// and not the CLI's catch-all "unexpected failure" line, which marks an exception the tool did not anticipate.
    /// </summary>
    public static void AssertNoCrash(ChildOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        Assert.False(StackFrame().IsMatch(outcome.Stderr), $"stack trace on stderr\n{outcome}");
        Assert.False(outcome.Stderr.Contains("Unhandled exception", StringComparison.OrdinalIgnoreCase), $"unhandled exception\n{outcome}");
        Assert.False(outcome.Stderr.Contains("unexpected failure", StringComparison.OrdinalIgnoreCase), $"the CLI's catch-all for unanticipated exceptions\n{outcome}");
        Assert.False(outcome.ExitCode is 134 or 139, $"the child died of a signal\n{outcome}");
    }

    public void AssertWatchedUnchanged(ChildOutcome? outcome = null)
    {
        Assert.NotNull(_before);
        for (var i = 0; i < _watched.Count; i++)
        {
            var after = TreeSnapshot.Take(_watched[i].Root, _watched[i].Excluding);
            var differences = TreeSnapshot.Differences(_before[i], after);
            Assert.True(differences.Count == 0, $"{_watched[i].Root} changed:\n{string.Join('\n', differences.Take(30))}\n{outcome}");
        }
    }

    /// <summary>No <c>*.tmp</c> anywhere under <see cref="Root"/> (input and output) that was not there before the first run.</summary>
    public void AssertNoNewTempFiles(ChildOutcome? outcome = null)
    {
        Assert.NotNull(_tempFilesBefore);
        var left = TreeSnapshot.TempFiles(Root).Where(t => !_tempFilesBefore.Contains(t)).ToList();
        Assert.True(left.Count == 0, $"temporary files left behind:\n{string.Join('\n', left.Select(TreeSnapshot.Show))}\n{outcome}");
    }

    /// <summary>Relative paths of every file under <paramref name="root"/> (not following links), raw bytes as Latin-1, sorted.</summary>
    public static IReadOnlyList<string> FilesUnder(string root) =>
        [.. TreeSnapshot.Take(root, []).Where(e => e.Value.StartsWith("f ", StringComparison.Ordinal)).Select(e => e.Key)];

    /// <summary>Whether <c>gzip -t</c> accepts <paramref name="path"/>.</summary>
    public bool GzipTestPasses(string path)
    {
        var output = Sh("if gzip -t -- \"$1\" 2>/dev/null; then echo ok; else echo bad; fi", path);
        return output.Trim() == "ok";
    }

    public void Dispose()
    {
        foreach (var child in _children)
        {
            child.Dispose();
        }

        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        foreach (var mount in Enumerable.Reverse(_mounts))
        {
            TreeSnapshot.Run("umount \"$1\" 2>/dev/null || umount -l \"$1\"", [mount]);
        }

        // rm, not Directory.Delete: it copes with names that are not UTF-8, paths longer than PATH_MAX and folders without permissions.
        try
        {
            TreeSnapshot.Run("chmod -R u+rwX \"$1\" 2>/dev/null; rm -rf \"$1\"", [Root]);
        }
        catch (Xunit.Sdk.XunitException)
        {
        }
    }

    [GeneratedRegex(@"^\s+at \S", RegexOptions.Multiline)]
    private static partial Regex StackFrame();
}
