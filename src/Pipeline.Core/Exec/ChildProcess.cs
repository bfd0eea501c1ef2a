using System.Runtime.InteropServices;
using System.Text;

namespace Pipeline.Exec;

/// <summary>
/// A command started with <c>posix_spawn</c> (Linux): its standard input, output and error are the descriptors the
/// caller hands over (the opened input file, the output's temporary file), so no byte of the content passes through
/// this process; it leads a process group of its own, so that a time-out or a cancelled run kills everything it started,
/// and when it exits whatever it left running in that group is killed before its exit is reported: nothing it
/// started can write to an output after the output is in place. Its exit is learned from <c>SIGCHLD</c>, without a
/// thread waiting for it.
/// </summary>
internal sealed class ChildProcess
{
    private const int SigKill = 9;
    private const int SigPipe = 13;
    private const int SigStop = 19;
    private const int WNoHang = 1;
    private const int WExited = 4;
    private const int WNoWait = 0x01000000;
    private const int PidType = 1; // P_PID
    private const int ECHILD = 10;
    private const short SpawnSetPGroup = 0x02;
    private const short SpawnSetSigDef = 0x04;
    private const short SpawnSetSigMask = 0x08;

    private static readonly Lock Gate = new();
    private static readonly Dictionary<int, ChildProcess> Running = [];
    private static PosixSignalRegistration? s_sigchld;

    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(int id) => Id = id;

    /// <summary>The process id, which is also its process group's.</summary>
    public int Id { get; }

    /// <summary>Ends with the wait status (as <c>waitpid</c> gives it) once the command has exited and its group has been emptied.</summary>
#pragma warning disable VSTHRD003 // completed by the SIGCHLD handler, its continuations run asynchronously: nothing to deadlock on
    public Task<int> Exited => _exit.Task;
#pragma warning restore VSTHRD003

    /// <summary>Whether commands can be started this way here (Linux); elsewhere the runtime's <see cref="System.Diagnostics.Process"/> is used.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>Starts <paramref name="path"/> with <paramref name="argv"/> (argv[0] included) and <paramref name="environment"/> ("NAME=value").</summary>
    /// <exception cref="CommandFailedException">It could not be started (the reason from the system).</exception>
    public static unsafe ChildProcess Start(string path, IReadOnlyList<string> argv, IReadOnlyList<string> environment, SafeHandle stdin, SafeHandle stdout, SafeHandle stderr)
    {
        EnsureReaping();
        var strings = new List<nint>();
        var actions = stackalloc byte[1024];
        var attributes = stackalloc byte[1024];
        bool addedIn = false, addedOut = false, addedErr = false;
        try
        {
            stdin.DangerousAddRef(ref addedIn);
            stdout.DangerousAddRef(ref addedOut);
            stderr.DangerousAddRef(ref addedErr);
            var nativePath = Utf8(path, strings);
            var nativeArgv = Vector(argv, strings);
            var nativeEnvironment = Vector(environment, strings);

            Check(posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
            Check(posix_spawnattr_init(attributes), "posix_spawnattr_init");
            try
            {
                Check(posix_spawn_file_actions_adddup2(actions, (int)stdin.DangerousGetHandle(), 0), "dup2 of standard input");
                Check(posix_spawn_file_actions_adddup2(actions, (int)stdout.DangerousGetHandle(), 1), "dup2 of standard output");
                Check(posix_spawn_file_actions_adddup2(actions, (int)stderr.DangerousGetHandle(), 2), "dup2 of standard error");

                // The runtime ignores SIGPIPE and handles others itself (real-time ones too); the command starts as if
                // from a shell: every signal at its default (one this process inherited ignored, as under nohup, stays
                // ignored) and none blocked.
                var defaults = stackalloc byte[128];
                var none = stackalloc byte[128];
                new Span<byte>(defaults, 128).Clear();
                new Span<byte>(none, 128).Clear();
                var current = stackalloc byte[256];
                for (var signal = 1; signal <= 64; signal++)
                {
                    if (signal is SigKill or SigStop)
                    {
                        continue;
                    }

                    new Span<byte>(current, 256).Clear();
                    if (signal == SigPipe || sigaction(signal, null, current) != 0 || *(nint*)current != 1)
                    {
                        defaults[(signal - 1) / 8] |= (byte)(1 << ((signal - 1) % 8));
                    }
                }

                Check(posix_spawnattr_setsigdefault(attributes, defaults), "posix_spawnattr_setsigdefault");
                Check(posix_spawnattr_setsigmask(attributes, none), "posix_spawnattr_setsigmask");
                Check(posix_spawnattr_setpgroup(attributes, 0), "posix_spawnattr_setpgroup");
                Check(posix_spawnattr_setflags(attributes, SpawnSetPGroup | SpawnSetSigDef | SpawnSetSigMask), "posix_spawnattr_setflags");

                int pid;
                ChildProcess child;
                lock (Gate)
                {
                    // Registered before its SIGCHLD can be looked at, so no exit is missed.
                    var error = posix_spawn(&pid, (byte*)nativePath, actions, attributes, (byte**)nativeArgv, (byte**)nativeEnvironment);
                    if (error != 0)
                    {
                        throw new CommandFailedException($"cannot run {path}: {Marshal.GetPInvokeErrorMessage(error)}", null, timedOut: false, new System.ComponentModel.Win32Exception(error));
                    }

                    child = new ChildProcess(pid);
                    Running[pid] = child;
                }

                ReapExited();
                return child;
            }
            finally
            {
                _ = posix_spawn_file_actions_destroy(actions);
                _ = posix_spawnattr_destroy(attributes);
            }
        }
        finally
        {
            foreach (var pointer in strings)
            {
                NativeMemory.Free((void*)pointer);
            }

            if (addedIn)
            {
                stdin.DangerousRelease();
            }

            if (addedOut)
            {
                stdout.DangerousRelease();
            }

            if (addedErr)
            {
                stderr.DangerousRelease();
            }
        }
    }

    /// <summary>Kills the command's whole process group, unless it has already been reaped (its id could then be another's).</summary>
    public void KillGroup()
    {
        lock (Gate)
        {
            if (Running.ContainsKey(Id))
            {
                _ = kill(-Id, SigKill);
            }
        }
    }

    /// <summary>The exit code a wait status stands for: the code, or 128 + the signal that killed it (as shells say).</summary>
    public static int ExitCode(int status) => (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F);

    /// <summary>The signal that killed the command, or 0 when it exited.</summary>
    public static int Signal(int status) => (status & 0x7F) == 0 ? 0 : status & 0x7F;

    private static void EnsureReaping()
    {
        lock (Gate)
        {
            if (OperatingSystem.IsLinux())
            {
                s_sigchld ??= PosixSignalRegistration.Create(PosixSignal.SIGCHLD, _ => ReapExited());
            }
        }
    }

    /// <summary>For each command that has exited: kills what it left in its group while its id is still held, then reaps it.</summary>
    private static unsafe void ReapExited()
    {
        var info = stackalloc byte[128];
        lock (Gate)
        {
            foreach (var child in Running.Values.ToList())
            {
                new Span<byte>(info, 128).Clear();
                if (waitid(PidType, child.Id, info, WExited | WNoHang | WNoWait) != 0)
                {
                    if (Marshal.GetLastPInvokeError() == ECHILD)
                    {
                        Running.Remove(child.Id);
                        child._exit.TrySetException(new CommandFailedException("its exit status was taken by another part of this process", null, timedOut: false));
                    }

                    continue;
                }

                if (*(int*)(info + 16) != child.Id)
                {
                    continue; // still running
                }

                _ = kill(-child.Id, SigKill);
                int status;
                if (waitpid(child.Id, &status, 0) == child.Id)
                {
                    Running.Remove(child.Id);
                    child._exit.TrySetResult(status);
                }
            }
        }
    }

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw new CommandFailedException($"cannot start the command: {what}: {Marshal.GetPInvokeErrorMessage(error)}", null, timedOut: false, new System.ComponentModel.Win32Exception(error));
        }
    }

    private static unsafe nint Utf8(string value, List<nint> owned)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        var pointer = (byte*)NativeMemory.Alloc((nuint)count + 1);
        owned.Add((nint)pointer);
        Encoding.UTF8.GetBytes(value, new Span<byte>(pointer, count));
        pointer[count] = 0;
        return (nint)pointer;
    }

    private static unsafe nint Vector(IReadOnlyList<string> values, List<nint> owned)
    {
        var vector = (nint*)NativeMemory.Alloc((nuint)(values.Count + 1), (nuint)sizeof(nint));
        owned.Add((nint)vector);
        for (var i = 0; i < values.Count; i++)
        {
            vector[i] = Utf8(values[i], owned);
        }

        vector[values.Count] = 0;
        return (nint)vector;
    }

#pragma warning disable SA1300, IDE1006 // the C library's names
    [DllImport("libc", SetLastError = false)]
    private static extern unsafe int posix_spawn(int* pid, byte* path, byte* fileActions, byte* attributes, byte** argv, byte** environment);

    [DllImport("libc")]
    private static extern unsafe int posix_spawn_file_actions_init(byte* fileActions);

    [DllImport("libc")]
    private static extern unsafe int posix_spawn_file_actions_destroy(byte* fileActions);

    [DllImport("libc")]
    private static extern unsafe int posix_spawn_file_actions_adddup2(byte* fileActions, int fd, int newFd);

    [DllImport("libc")]
    private static extern unsafe int posix_spawnattr_init(byte* attributes);

    [DllImport("libc")]
    private static extern unsafe int posix_spawnattr_destroy(byte* attributes);

    [DllImport("libc")]
    private static extern unsafe int posix_spawnattr_setflags(byte* attributes, short flags);

    [DllImport("libc")]
    private static extern unsafe int posix_spawnattr_setpgroup(byte* attributes, int processGroup);

    [DllImport("libc")]
    private static extern unsafe int posix_spawnattr_setsigdefault(byte* attributes, byte* signals);

    [DllImport("libc")]
    private static extern unsafe int posix_spawnattr_setsigmask(byte* attributes, byte* signals);

    [DllImport("libc")]
    private static extern unsafe int sigaction(int signal, byte* action, byte* old);

    [DllImport("libc", SetLastError = true)]
    private static extern unsafe int waitid(int idType, int id, byte* info, int options);

    [DllImport("libc", SetLastError = true)]
    private static extern unsafe int waitpid(int pid, int* status, int options);

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
#pragma warning restore SA1300, IDE1006
}
