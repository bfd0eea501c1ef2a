namespace Pipeline.Tests.Support;

/// <summary>The system's <c>zstd</c> command (Debian package zstd), installed first where a test may install it.</summary>
public static class SystemZstd
{
    /// <summary>Runs <c>zstd</c> with <paramref name="args"/>; returns its exit code, its standard output as bytes and its error text.</summary>
    public static async Task<(int ExitCode, byte[] Stdout, string Stderr)> RunAsync(params string[] args) =>
        await SystemGzip.RunProgramAsync(await DebianTool.EnsureAsync("zstd", "zstd"), args);
}
