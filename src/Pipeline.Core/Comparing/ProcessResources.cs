using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Pipeline.Comparing;

/// <summary>CPU time and peak memory of this process, with the peak resettable on Linux so each measured run gets its own.</summary>
internal static class ProcessResources
{
    public static TimeSpan CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>Resets the kernel's peak resident set (VmHWM) where it allows it; see proc(5), clear_refs value 5.</summary>
    public static void ResetPeak()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not allowed here: the peak then covers the whole process so far.
        }
    }

    public static long PeakWorkingSet()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }

    /// <summary>Asks the kernel to write dirty pages out, so the writeback of deleted outputs does not land inside the next timed run.</summary>
    public static void FlushFileSystems()
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
