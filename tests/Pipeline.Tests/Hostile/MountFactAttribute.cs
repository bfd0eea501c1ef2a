using System.Diagnostics;

namespace Pipeline.Tests.Hostile;

/// <summary>A fact that mounts a file system (a bind mount, a small tmpfs): needs root and a kernel that lets this process mount.</summary>
public sealed class MountFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Unavailable = new(Probe);

    /// <param name="need">What the mount is for, e.g. "to mount a 2 MB tmpfs".</param>
    public MountFactAttribute(string need)
    {
        if (Unavailable.Value is { } why)
        {
            Skip = $"needs root {need}: {why}";
        }
    }

    /// <summary>Mounts and unmounts a tiny tmpfs once; returns why that failed, or null.</summary>
    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
        {
            return "not root (or not Linux)";
        }

        var dir = Directory.CreateTempSubdirectory("pipeline-mount-probe-").FullName;
        try
        {
            var start = new ProcessStartInfo("bash") { RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in (string[])["-c", "mount -t tmpfs -o size=64k tmpfs \"$1\" && umount \"$1\"", "bash", dir])
            {
                start.ArgumentList.Add(arg);
            }

            using var probe = Process.Start(start)!;
            var error = probe.StandardError.ReadToEnd();
            probe.WaitForExit(30_000);
            return probe.ExitCode == 0 ? null : $"mount failed here ({error.Trim()})";
        }
        finally
        {
            Directory.Delete(dir);
        }
    }
}
