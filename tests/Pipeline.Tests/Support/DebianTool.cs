namespace Pipeline.Tests.Support;

/// <summary>A program from a Debian package that a test needs: found on the PATH, or installed with apt-get when the tests run as root on Debian.</summary>
public static class DebianTool
{
    // Test classes run in parallel, and apt-get does not wait for another apt-get's lock: one install at a time.
    private static readonly SemaphoreSlim Installing = new(1, 1);

    /// <summary>The program's full path, or <see langword="null"/>.</summary>
    public static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Join(folder, program)).FirstOrDefault(File.Exists);

    /// <summary>Whether the test can install a missing package itself (Linux, root, apt-get present).</summary>
    public static bool CanInstall => OperatingSystem.IsLinux() && Environment.UserName == "root" && Find("apt-get") is not null;

    /// <summary>The program's path, installing <paramref name="package"/> first if the program is missing.</summary>
    /// <exception cref="InvalidOperationException">apt-get failed, or the package did not provide the program.</exception>
    public static async Task<string> EnsureAsync(string program, string package)
    {
        if (Find(program) is { } found)
        {
            return found;
        }

        await Installing.WaitAsync();
        try
        {
            if (Find(program) is { } installedMeanwhile)
            {
                return installedMeanwhile;
            }

            // (A lock held by an apt-get outside the tests is waited for too.)
            foreach (var arguments in (string[][])[["-o", "DPkg::Lock::Timeout=300", "update", "-qq"], ["-o", "DPkg::Lock::Timeout=300", "install", "-y", "-qq", package]])
            {
                var outcome = await ExternalCommand.RunAsync("apt-get", arguments, Path.GetTempPath(), TimeSpan.FromMinutes(5),
                    new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" });
                if (outcome.ExitCode != 0)
                {
                    throw new InvalidOperationException($"installing {package} for {program} failed: {outcome}");
                }
            }

            return Find(program) ?? throw new InvalidOperationException($"{package} is installed but {program} is not on the PATH");
        }
        finally
        {
            Installing.Release();
        }
    }
}
