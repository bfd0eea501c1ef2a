using System.Runtime.InteropServices;

namespace Pipeline.Cli.Benchmarking;

/// <summary>
/// Flushes dirty pages before a timed run, so the writeback of a corpus just written (or of a previous run's outputs)
/// does not land inside the measurement: after the command line generates a corpus.
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
