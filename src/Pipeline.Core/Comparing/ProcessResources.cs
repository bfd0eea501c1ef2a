using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Pipeline.Comparing;

/// <summary>CPU time and peak memory of this process, with the peak resettable on Linux so each measured run gets its own.</summary>
internal static class ProcessResources
{
    /// <summary>clock_gettime's id for the CPU time of every thread of the process (Linux).</summary>
    private const int ClockProcessCpuTimeId = 2;

    /// <summary>
    /// CPU time (user + system) of every thread of the process. On Linux from <c>clock_gettime(CLOCK_PROCESS_CPUTIME_ID)</c>,
    /// exact to the nanosecond; <see cref="Process.TotalProcessorTime"/> counts clock ticks of 10 ms there, which made a
    /// round of a few milliseconds show 0.00 CPU seconds.
    /// </summary>
    public static TimeSpan CpuTime()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(ClockProcessCpuTimeId, out var time) == 0)
        {
            return TimeSpan.FromTicks((time.Seconds * TimeSpan.TicksPerSecond) + (time.Nanoseconds / 100));
        }

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

    /// <summary>
    /// Puts the process and the machine in the same state before every timed run, whichever ran before it: dirty pages
    /// written out (so the writeback of the previous run's outputs does not land inside this one) and the previous run's
    /// garbage collected (so one mode does not pay for the other's).
    /// </summary>
    public static void Settle()
    {
        Flush();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    /// <summary>Writes dirty pages out (<c>sync</c>), so the writeback of files just written does not land inside a timed run.</summary>
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

    [DllImport("libc", EntryPoint = "clock_gettime")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int ClockGetTime(int clockId, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
