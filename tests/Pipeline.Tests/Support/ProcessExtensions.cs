using System.Diagnostics;

namespace Pipeline.Tests.Support;

internal static class ProcessExtensions
{
    /// <summary>Waits for a short helper command (mkfifo, bash) and returns its exit code.</summary>
    public static int WaitForExitAndCode(this Process? process)
    {
        ArgumentNullException.ThrowIfNull(process);
        using (process)
        {
            process.WaitForExit();
            return process.ExitCode;
        }
    }
}
