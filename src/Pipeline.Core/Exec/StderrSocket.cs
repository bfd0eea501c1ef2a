using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Pipeline.Exec;

/// <summary>
/// A connected pair of local stream sockets for a command's standard error: the command writes to one end as to any
/// file, this process reads the other asynchronously (a pipe could only be read by a blocked thread).
/// </summary>
internal static class StderrSocket
{
    private const int AfUnix = 1;
    private const int SockStream = 1;
    private const int SockCloexec = 0x80000;

    /// <summary>Our end and the command's end; both close on exec, the command's is duplicated onto its descriptor 2.</summary>
    public static unsafe (Socket Ours, Socket Theirs) Pair()
    {
        var fds = stackalloc int[2];
        if (socketpair(AfUnix, SockStream | SockCloexec, 0, fds) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            throw new CommandFailedException($"cannot start the command: socketpair: {Marshal.GetPInvokeErrorMessage(error)}", null, timedOut: false, new System.ComponentModel.Win32Exception(error));
        }

        var theirs = new Socket(new SafeSocketHandle(fds[1], ownsHandle: true));
        try
        {
            theirs.Shutdown(SocketShutdown.Receive);
            return (new Socket(new SafeSocketHandle(fds[0], ownsHandle: true)), theirs);
        }
        catch
        {
            theirs.Dispose();
            throw;
        }
    }

#pragma warning disable SA1300, IDE1006 // the C library's name
    [DllImport("libc", SetLastError = true)]
    private static extern unsafe int socketpair(int domain, int type, int protocol, int* fds);
#pragma warning restore SA1300, IDE1006
}
