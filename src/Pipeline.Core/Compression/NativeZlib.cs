using System.Runtime.InteropServices;

namespace Pipeline.Compression;

/// <summary>
/// The runtime's own zlib (zlib-ng), reached through the exports of System.IO.Compression.Native that DeflateStream,
/// GZipStream and ZLibStream themselves call. That library ships with the runtime (and inside a self-contained
/// publish), so nothing beyond the framework is needed. It exports no dictionary call (deflateSetDictionary): a
/// compressor that needs one primes its stream instead (see <see cref="NativeDeflater"/>).
/// </summary>
internal static class NativeZlib
{
    private const string Library = "System.IO.Compression.Native";

    public enum Code
    {
        Ok = 0,
        StreamEnd = 1,
        NeedDict = 2,
        DataError = -3,
        MemError = -4,
        BufError = -5,
    }

    /// <summary>zlib's flush modes that this code uses.</summary>
    public enum Flush
    {
        None = 0,
        Sync = 2,
    }

    [DllImport(Library, EntryPoint = "CompressionNative_InflateInit2_")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern Code InflateInit2(ref PalZStream stream, int windowBits);

    [DllImport(Library, EntryPoint = "CompressionNative_InflateReset2_")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern Code InflateReset2(ref PalZStream stream, int windowBits);

    [DllImport(Library, EntryPoint = "CompressionNative_Inflate")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern Code Inflate(ref PalZStream stream, int flush);

    [DllImport(Library, EntryPoint = "CompressionNative_InflateEnd")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern Code InflateEnd(ref PalZStream stream);

    /// <summary>zlib's deflateInit2: <paramref name="windowBits"/> -15 for raw deflate, method 8 (deflate), strategy 0 (default).</summary>
    [DllImport(Library, EntryPoint = "CompressionNative_DeflateInit2_")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern Code DeflateInit2(ref PalZStream stream, int level, int method, int windowBits, int memLevel, int strategy);

    [DllImport(Library, EntryPoint = "CompressionNative_Deflate")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern Code Deflate(ref PalZStream stream, Flush flush);

    [DllImport(Library, EntryPoint = "CompressionNative_DeflateEnd")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern Code DeflateEnd(ref PalZStream stream);

    /// <summary>zlib's crc32: <paramref name="crc"/> continued over <paramref name="length"/> bytes.</summary>
    [DllImport(Library, EntryPoint = "CompressionNative_Crc32")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern unsafe uint Crc32(uint crc, byte* buffer, int length);

    /// <summary>The runtime's PAL_ZStream: the fields zlib's z_stream exposes, in a layout fixed on every platform.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PalZStream
    {
        public nint NextIn;
        public nint NextOut;
        public nint Msg;
        public nint InternalState;
        public uint AvailIn;
        public uint AvailOut;
    }

    /// <summary>Throws unless <paramref name="code"/> is <see cref="Code.Ok"/>: for calls that fail only when memory runs out or on misuse.</summary>
    /// <exception cref="InvalidOperationException">It is not.</exception>
    public static void Check(Code code, string what)
    {
        if (code != Code.Ok)
        {
            throw new InvalidOperationException($"{what} (zlib code {(int)code})");
        }
    }

    /// <summary>zlib's own message for the last error of <paramref name="stream"/>, or "no detail".</summary>
    public static string Message(in PalZStream stream) =>
        stream.Msg == 0 ? "no detail" : Marshal.PtrToStringUTF8(stream.Msg) ?? "no detail";
}
