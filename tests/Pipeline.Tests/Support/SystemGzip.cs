using System.Diagnostics;

namespace Pipeline.Tests.Support;

/// <summary>The system's own <c>gzip</c>, run as a process: the independent judge of what the gzip transform writes.</summary>
public static class SystemGzip
{
    /// <summary>Runs <c>gzip</c> with <paramref name="args"/>; returns its exit code, its standard output as bytes and its error text.</summary>
    public static Task<(int ExitCode, byte[] Stdout, string Stderr)> RunAsync(params string[] args) => RunProgramAsync("gzip", args);

    /// <summary>Runs <paramref name="program"/> with <paramref name="args"/>; returns its exit code, its standard output as bytes and its error text.</summary>
    public static async Task<(int ExitCode, byte[] Stdout, string Stderr)> RunProgramAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        await Task.WhenAll(copy, stderr, process.WaitForExitAsync());
        return (process.ExitCode, stdout.ToArray(), await stderr);
    }
}
