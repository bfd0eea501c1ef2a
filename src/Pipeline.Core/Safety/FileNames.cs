namespace Pipeline.Safety;

/// <summary>
/// File names .NET cannot carry. On Linux a name is bytes; .NET decodes it as UTF-8 and puts U+FFFD where bytes are
/// not valid UTF-8, so such a name cannot be opened again by the string it was given as.
/// </summary>
internal static class FileNames
{
    public const string NotUtf8Reason = "file name is not valid UTF-8 (shown with \uFFFD in place of the bytes that are not): it cannot be opened by name";

    /// <summary>Whether the name holds the replacement character, the mark of bytes that were not UTF-8.</summary>
    /// <remarks>A name may hold a real, validly encoded U+FFFD; callers ask the file system before calling a name broken.</remarks>
    public static bool HasUndecodableBytes(string path) => path.Contains('\uFFFD', StringComparison.Ordinal);
}
