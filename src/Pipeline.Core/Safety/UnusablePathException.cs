namespace Pipeline.Safety;

/// <summary>
/// A path the run needs (the output folder, one of the tool's own files, the folder for temporary files) cannot be used
/// as it is: a configuration error, found before any input file is processed, and nothing was processed. The message is
/// one line naming the path and why.
/// </summary>
/// <remarks>
/// Public so that an embedder can tell it by name from a failure of the run itself (the command line exits 2 on it,
/// 1 on other I/O errors) and switch on <see cref="Kind"/>. Only the library throws it, so its constructor is internal.
/// </remarks>
#pragma warning disable CA1032 // The standard constructors would make an exception without a path or a kind, which this type never is.
public sealed class UnusablePathException : IOException
#pragma warning restore CA1032
{
    internal UnusablePathException(string path, UnusablePathKind kind, string reason, Exception? innerException = null, string? note = null)
        : base($"{path}: {reason}{(note is null ? string.Empty : $" ({note})")}", innerException)
    {
        Path = path;
        Kind = kind;
        Reason = reason;
    }

    /// <summary>The path that cannot be used.</summary>
    public string Path { get; }

    /// <summary>What makes it unusable.</summary>
    public UnusablePathKind Kind { get; }

    /// <summary>Why it cannot be used, without the path: <c>is a named pipe, not a regular file</c>, <c>cannot be created: read-only file system</c>, ...</summary>
    public string Reason { get; }

    /// <summary>One of the tool's own files is something other than a regular file.</summary>
    internal static UnusablePathException NotRegular(string path, FileNodeKind kind) =>
        new(path, UnusablePathKind.NotRegularFile, $"is a {FileNode.Describe(kind)}, not a regular file", note: "the tool's own files are never opened through a link or as a special file");

    /// <summary>A folder the run needs is something else.</summary>
    internal static UnusablePathException NotFolder(string path, FileNodeKind kind) =>
        new(path, UnusablePathKind.NotAFolder, $"is a {FileNode.Describe(kind)}, not a folder");
}
