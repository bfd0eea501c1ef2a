using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Pipeline.Cli.Comparing;

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

    /// <summary>
    /// CPU time the cores this process may run on spent busy since boot (every process on them, ours too, and the
    /// hypervisor's steal), from the <c>cpuN</c> lines of <c>/proc/stat</c> for the CPUs in its affinity mask (as
    /// <see cref="Environment.ProcessorCount"/> counts them: work on a CPU we may not use does not slow us); <see langword="null"/>
    /// where there is no such file (not Linux) or it cannot be read. Only differences between two readings mean
    /// anything; the kernel counts in clock ticks (10 ms).
    /// </summary>
    public static TimeSpan? MachineBusyTime()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            var allowed = AllowedCpus(File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal)));
            var ticksPerSecond = TicksPerSecond();
            var busy = TimeSpan.Zero;
            var any = false;
            foreach (var line in File.ReadLines("/proc/stat"))
            {
                if (!line.StartsWith("cpu", StringComparison.Ordinal))
                {
                    break; // the cpu lines come first
                }

                var space = line.IndexOf(' ', StringComparison.Ordinal);
                var label = space > 0 ? line[..space] : line;
                if (label.Length == 3 || !int.TryParse(label[3..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var cpu)
                    || (allowed is not null && !allowed.Contains(cpu)))
                {
                    continue; // the machine's total, or a CPU this process may not use
                }

                if (ParseBusyTime(line, ticksPerSecond) is not { } time)
                {
                    return null;
                }

                busy += time;
                any = true;
            }

            return any ? busy : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The CPUs of a <c>Cpus_allowed_list:</c> line of <c>/proc/self/status</c> (<c>0-3,6</c>); <see langword="null"/> (every CPU) if it cannot be read.</summary>
    internal static HashSet<int>? AllowedCpus(string? line)
    {
        var list = line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        if (string.IsNullOrEmpty(list))
        {
            return null;
        }

        var cpus = new HashSet<int>();
        foreach (var range in list.Split(','))
        {
            var ends = range.Split('-');
            if (!int.TryParse(ends[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var first)
                || !int.TryParse(ends[^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var last)
                || last < first)
            {
                return null;
            }

            for (var cpu = first; cpu <= last; cpu++)
            {
                cpus.Add(cpu);
            }
        }

        return cpus;
    }

    /// <summary>
    /// The busy time in a <c>cpu</c> or <c>cpuN</c> line of <c>/proc/stat</c>: user, nice, system, irq, softirq and steal
    /// (not idle and not iowait, which are waits; guest time is already inside user). <see langword="null"/> for any other line.
    /// </summary>
    internal static TimeSpan? ParseBusyTime(string? line, long ticksPerSecond)
    {
        var fields = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields is null || fields.Length < 9 || !fields[0].StartsWith("cpu", StringComparison.Ordinal) || ticksPerSecond <= 0)
        {
            return null;
        }

        long busy = 0;
        foreach (var index in (int[])[1, 2, 3, 6, 7, 8])
        {
            if (!long.TryParse(fields[index], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks))
            {
                return null;
            }

            busy += ticks;
        }

        return TimeSpan.FromSeconds((double)busy / ticksPerSecond);
    }

    /// <summary>The kernel's clock ticks per second for <c>/proc/stat</c> (<c>sysconf(_SC_CLK_TCK)</c>, 100 nearly everywhere).</summary>
    private static long TicksPerSecond()
    {
        var ticks = SysConf(SysConfClockTicks);
        return ticks > 0 ? ticks : 100;
    }

    /// <summary>sysconf's name for the clock ticks per second (Linux).</summary>
    private const int SysConfClockTicks = 2;

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

    [DllImport("libc", EntryPoint = "sysconf")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern long SysConf(int name);

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
