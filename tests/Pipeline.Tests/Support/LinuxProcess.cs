using System.Globalization;

namespace Pipeline.Tests.Support;

/// <summary>A process seen through <c>/proc</c>: whether a pid a test recorded still runs.</summary>
internal static class LinuxProcess
{
    /// <summary>
    /// Whether <paramref name="pid"/> is a live process: it has a <c>/proc/PID/stat</c> and is not a zombie (a killed
    /// process whose parent, here often a PID 1 that does not reap, has not collected it yet is dead for every purpose).
    /// </summary>
    public static bool IsAlive(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return false;
        }

        // "pid (comm) S ...": comm may hold spaces and parentheses, so the state is the field after the last ')'.
        var state = stat[(stat.LastIndexOf(')') + 1)..].TrimStart();
        return state.Length > 0 && state[0] is not ('Z' or 'X');
    }

    /// <summary>
    /// Those of <paramref name="pids"/> still alive after up to 5 s: a process sent SIGKILL is dead only once it has been
    /// scheduled to exit, which on a loaded machine can come after the test looks (one that was never killed sleeps on).
    /// </summary>
    public static List<int> StillAliveAfterAWhile(IEnumerable<int> pids)
    {
        var alive = pids.ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while ((alive = alive.Where(IsAlive).ToList()).Count > 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        return alive;
    }

    /// <summary>The pid written (as decimal text, one line) in <paramref name="file"/>.</summary>
    public static int ReadPid(string file) => int.Parse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
}
