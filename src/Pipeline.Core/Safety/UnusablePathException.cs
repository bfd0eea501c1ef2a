namespace Pipeline.Safety;

/// <summary>What makes a path the run needs unusable: the kinds a caller switches on, each a configuration error.</summary>
internal enum UnusablePathKind
{
    /// <summary>One of the tool's own files (lock, journal, record, log) is a link, a named pipe, a socket, a device or a folder.</summary>
    NotRegularFile,

    /// <summary>A folder the run needs (the output, <c>.pipeline</c>) is a link or a file, or lies below a file.</summary>
    NotAFolder,

    /// <summary>The path cannot be created, opened or written (read-only file system, permission denied, ...).</summary>
    Inaccessible,

    /// <summary>The output folder's lock cannot be taken for a reason other than another run holding it.</summary>
    NotLockable,

    /// <summary>The folder for temporary files (<c>TMPDIR</c>) does not exist.</summary>
    TempFolderMissing,
}

/// <summary>
/// A path the run needs (the output folder, one of the tool's own files, the temporary folder) cannot be used as it is:
/// a configuration error, found before any input file is processed. The message is one line naming the path and why.
/// </summary>
internal sealed class UnusablePathException : IOException
{
    public UnusablePathException(string path, UnusablePathKind kind, string reason, Exception? innerException = null)
        : base($"{path}: {reason}", innerException)
    {
        Path = path;
        Kind = kind;
    }

    /// <summary>The path that cannot be used.</summary>
    public string Path { get; }

    public UnusablePathKind Kind { get; }

    /// <summary>One of the tool's own files is something other than a regular file.</summary>
    public static UnusablePathException NotRegular(string path, FileNodeKind kind) =>
        new(path, UnusablePathKind.NotRegularFile, $"is a {FileNode.Describe(kind)}, not a regular file (the tool's own files are never opened through a link or as a special file)");

    /// <summary>A folder the run needs is something else.</summary>
    public static UnusablePathException NotFolder(string path, FileNodeKind kind) =>
        new(path, UnusablePathKind.NotAFolder, $"is a {FileNode.Describe(kind)}, not a folder");
}
