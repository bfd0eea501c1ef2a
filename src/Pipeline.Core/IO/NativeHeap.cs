using System.Runtime.InteropServices;

namespace Pipeline.IO;

/// <summary>
/// Hands memory that native code freed back to the system now and then. Every file that zlib compresses starts a
/// deflate stream of about 300 KB of native memory and ends it. glibc keeps freed memory in per-thread arenas, and
/// with the thread pool's threads coming and going, memory freed in one arena is not always reused by the next
/// stream: measured on 1,000,000 one-byte files, <c>pipeline run gzip</c> ended with 80 MB free but still resident in
/// those arenas (1 MB in use), so its peak grew with the number of files. Trimming after every
/// <see cref="StreamsPerTrim"/> streams keeps that bounded; a trim costs a walk of the arenas' free lists, and the
/// next stream in each arena faults its pages in again. A no-op where the C library has no <c>malloc_trim</c>
/// (anything but glibc).
/// </summary>
internal static class NativeHeap
{
    /// <summary>Native streams ended between two trims.</summary>
    public const int StreamsPerTrim = 4096;

    private static int _ended;
    private static volatile bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>Counts a native stream ended (its memory freed); every <see cref="StreamsPerTrim"/>th trims the heap.</summary>
    public static void StreamEnded()
    {
        if (_unavailable || Interlocked.Increment(ref _ended) % StreamsPerTrim != 0)
        {
            return;
        }

        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            _unavailable = true; // musl and others: nothing to trim with
        }
    }

    /// <summary>glibc's malloc_trim: returns free memory at the top of the heap, and free whole pages inside every arena, to the system.</summary>
    [DllImport("libc", EntryPoint = "malloc_trim")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallocTrim(nuint pad);
}
