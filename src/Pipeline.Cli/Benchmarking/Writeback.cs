using System.Runtime.InteropServices;

namespace Pipeline.Cli.Benchmarking;

/// <summary>
/// Flushes dirty pages before a timed run, so the writeback of a corpus just written (or of a previous run's outputs)
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

    /// <summary>The same state before every timed run: dirty pages written out, the previous run's garbage collected.</summary>
    public static void Settle()
    {
        Flush();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    [DllImport("libc", EntryPoint = "sync")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern void Sync();
}
