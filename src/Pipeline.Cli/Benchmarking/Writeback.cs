using System.Runtime.InteropServices;

namespace Pipeline.Cli.Benchmarking;

/// <summary>
/// Flushes dirty pages before a timed run, so the writeback of a corpus just written (or of outputs just deleted)
/// does not land inside the measurement. The library's comparison does the same for itself; this copy serves the
/// measurement code that lives in the command line (corpus generation, the parallelism sweep).
/// </summary>
internal static class Writeback
{
    public static void Flush()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            Sync();
        }
    }

    [DllImport("libc", EntryPoint = "sync")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern void Sync();
}
