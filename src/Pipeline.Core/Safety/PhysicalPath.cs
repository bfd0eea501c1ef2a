using System.Runtime.InteropServices;

namespace Pipeline.Safety;

/// <summary>
/// Makes a path absolute the way the kernel reads it. <see cref="Path.GetFullPath(string)"/> removes <c>..</c> as text,
/// so <c>link/..</c> becomes the folder holding the link; the kernel goes to the parent of the link's target. Where a
/// path holds <c>..</c>, its longest existing part is resolved by the kernel (<c>realpath</c>), so the folder a run
/// uses is the one every other program would.
/// </summary>
internal static class PhysicalPath
{
    public static string Resolve(string path)
    {
        var absolute = Path.IsPathRooted(path) ? path : Path.Join(Environment.CurrentDirectory, path);
        if (!OperatingSystem.IsLinux() || !absolute.Split('/').Contains(".."))
        {
            return Path.GetFullPath(path);
        }

        var parts = absolute.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var n = parts.Length; n > 0; n--)
        {
            if (RealPath("/" + string.Join('/', parts[..n])) is { } real)
            {
                return Path.GetFullPath(Path.Join(real, string.Join('/', parts[n..])));
            }
        }

        return Path.GetFullPath(path);
    }

    private static string? RealPath(string path)
    {
        try
        {
            var resolved = NativeRealPath(path, IntPtr.Zero);
            if (resolved == IntPtr.Zero)
            {
                return null;
            }

            try
            {
                return Marshal.PtrToStringUTF8(resolved);
            }
            finally
            {
                Free(resolved);
            }
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

    [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable CA2101 // On Unix strings marshal as UTF-8, which is what the kernel expects.
    private static extern IntPtr NativeRealPath([MarshalAs(UnmanagedType.LPStr)] string path, IntPtr resolved);
#pragma warning restore CA2101

    [DllImport("libc", EntryPoint = "free")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern void Free(IntPtr pointer);
}
