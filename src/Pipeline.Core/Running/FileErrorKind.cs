namespace Pipeline.Running;

/// <summary>
/// What kind of failure ended a file (see <see cref="FileResult.ErrorKind"/>): made from the exception that caused it
/// (its type, its <see cref="Exception.HResult"/>, the system's error number), never from its message, so that an
/// embedder can switch on it. <see cref="FileResult.Exception"/> holds the cause and <see cref="FileResult.Error"/> says
/// it in one line. New kinds may be added in later versions: a <c>switch</c> over it should have a default arm.
/// </summary>
public enum FileErrorKind
{
    /// <summary>The file did not fail (it succeeded or was skipped).</summary>
    None = 0,

    /// <summary>None of the kinds below: an unexpected error, of a transform say; the exception and the message say what.</summary>
    Other,

    /// <summary>The file, a folder on its path or a symbolic link's target does not exist (removed after the walk saw it, say).</summary>
    NotFound,

    /// <summary>The system refused access to the file or its folder (<c>EACCES</c>, <c>EPERM</c>).</summary>
    PermissionDenied,

    /// <summary>A named pipe, socket, device or other node that is not a regular file: never opened for reading.</summary>
    NotRegularFile,

    /// <summary>A symbolic link that leads back to itself or to a folder the walk is already in: not followed.</summary>
    LinkLoop,

    /// <summary>
    /// The file or a folder on its path is no longer what the walk saw (a link or another file in its place), or its
    /// size or time changed while it was read: no output claims its content.
    /// </summary>
    ChangedDuringRun,

    /// <summary>Its name cannot be used: not valid UTF-8, so it cannot be opened by name.</summary>
    InvalidName,

    /// <summary>Its name or its output's name is longer than the file system allows.</summary>
    NameTooLong,

    /// <summary>Another program holds a lock on the file (after the run's retries).</summary>
    Locked,

    /// <summary>Its output cannot be written where the transform puts it: it would replace another file's output or the run's own, leave the output folder, or write into the input.</summary>
    OutputRefused,

    /// <summary>The content is not what the transform reads: corrupt or truncated compressed data, a malformed CSV, text that is not UTF-8.</summary>
    BadData,

    /// <summary>No space left on the device, or the disk quota exceeded, while the output was written.</summary>
    DiskFull,

    /// <summary>Another input/output error reported by the system (<c>EIO</c>, say).</summary>
    IOError,

    /// <summary>The work on the file ran past its time limit (a command's time-out) and was stopped.</summary>
    TimedOut,

    /// <summary>A command run for the file could not start or ended with an exit code not counted as success.</summary>
    CommandFailed,

    /// <summary>Not finished because the run was cancelled or stopped by its error limit (<see cref="FileStatus.Cancelled"/>), or the transform itself was cancelled.</summary>
    Cancelled,
}
