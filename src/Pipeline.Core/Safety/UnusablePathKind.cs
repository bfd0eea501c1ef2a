namespace Pipeline.Safety;

/// <summary>What makes a path a run needs unusable (<see cref="UnusablePathException.Kind"/>): each a configuration error.</summary>
public enum UnusablePathKind
{
    /// <summary>One of the tool's own files (lock, journal, record, log, report) is a link, a named pipe, a socket, a device or a folder.</summary>
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
