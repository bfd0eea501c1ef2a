using System.Buffers;
using System.Runtime.InteropServices;

namespace Pipeline.Compression;

/// <summary>
/// libdeflate, loaded at run time where the machine has it (Debian's <c>libdeflate0</c>, Fedora's and Homebrew's
/// <c>libdeflate</c>): a whole-buffer deflate encoder several times faster than zlib at the same level. It has no
/// streaming and no preset dictionary, so each piece is compressed on its own and made joinable afterwards (see
/// <see cref="CompressJoinable"/>). Nothing here is assumed: without the library, <see cref="IsAvailable"/> is false
/// and gzip uses the runtime's zlib-ng.
/// </summary>
internal static unsafe class Libdeflate
{
    private static readonly string[] Names = ["libdeflate.so.0", "libdeflate.so", "libdeflate.0.dylib", "libdeflate.dylib", "libdeflate.dll", "deflate.dll"];

    [ThreadStatic]
    private static Dictionary<int, nint>? t_compressors;

    private static readonly delegate* unmanaged<int, nint> Alloc;
    private static readonly delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nuint> Compress;
    private static readonly delegate* unmanaged<nint, nuint, nuint> Bound;

#pragma warning disable CA1810 // one probe of the library, whose outcome every field depends on
    static Libdeflate()
#pragma warning restore CA1810
    {
        foreach (var name in Names)
        {
            if (NativeLibrary.TryLoad(name, typeof(Libdeflate).Assembly, DllImportSearchPath.SafeDirectories | DllImportSearchPath.AssemblyDirectory, out var library)
                && NativeLibrary.TryGetExport(library, "libdeflate_alloc_compressor", out var alloc)
                && NativeLibrary.TryGetExport(library, "libdeflate_deflate_compress", out var compress)
                && NativeLibrary.TryGetExport(library, "libdeflate_deflate_compress_bound", out var bound))
            {
                Alloc = (delegate* unmanaged<int, nint>)alloc;
                Compress = (delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nuint>)compress;
                Bound = (delegate* unmanaged<nint, nuint, nuint>)bound;
                LibraryName = name;
                return;
            }
        }
    }

    /// <summary>Whether the library was found and has the functions used here.</summary>
    public static bool IsAvailable => Alloc != null;

    /// <summary>The file name it was loaded by; <see langword="null"/> when it was not found.</summary>
    public static string? LibraryName { get; }

    /// <summary>
    /// Compresses <paramref name="data"/> at <paramref name="level"/> to raw deflate blocks that end at a byte boundary
    /// and are not final, as zlib's sync flush leaves them: so pieces compressed apart join, one after another, into one
    /// deflate stream (ended by the caller with a final block). libdeflate ends its output with a final block at any bit;
    /// the blocks are walked (<see cref="DeflateBlocks.FindLast"/>) to clear that block's final bit and to put an empty
    /// stored block after it, which ends at a byte boundary.
    /// </summary>
    public static void CompressJoinable(int level, ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        var compressor = CompressorFor(level);
        var bound = (int)Bound(compressor, (nuint)data.Length);
        var span = output.GetSpan(bound + 5);
        nuint written;
        fixed (byte* input = data)
        fixed (byte* target = span)
        {
            written = Compress(compressor, input, (nuint)data.Length, target, (nuint)span.Length);
        }

        if (written == 0)
        {
            throw new InvalidOperationException("libdeflate wrote nothing within its own bound");
        }

        var (lastHeader, end) = DeflateBlocks.FindLast(span[..(int)written]);
        span[(int)(lastHeader >> 3)] &= (byte)~(1 << (int)(lastHeader & 7));

        // The empty stored block: three zero header bits where the last block ended, padding to the byte, then its
        // length 0 and that length's complement.
        var headerEnd = end + 3;
        var aligned = (int)((headerEnd + 7) >> 3);
        var last = (int)(end >> 3);
        if ((end & 7) != 0)
        {
            span[last] &= (byte)((1 << (int)(end & 7)) - 1); // bits past the end are the padding: zeros
            last++;
        }

        span[last..aligned].Clear();
        span[aligned] = 0x00;
        span[aligned + 1] = 0x00;
        span[aligned + 2] = 0xFF;
        span[aligned + 3] = 0xFF;
        output.Advance(aligned + 4);
    }

    private static nint CompressorFor(int level)
    {
        var compressors = t_compressors ??= [];
        if (!compressors.TryGetValue(level, out var compressor))
        {
            // One per thread and level, kept for the thread's life: allocating one costs more than compressing a small file.
            compressor = Alloc(level);
            if (compressor == 0)
            {
                throw new InvalidOperationException("libdeflate could not allocate a compressor (out of memory)");
            }

            compressors[level] = compressor;
        }

        return compressor;
    }
}
