using System.Security.Cryptography;
using Pipeline.Exec;
using Pipeline.Running;
using Pipeline.Safety;

namespace Pipeline.IO;

/// <summary>
/// The one reading of an exception from processing a file: its kind (from its type, <see cref="Exception.HResult"/> and
/// the system's error number, never from its text) and the one-line reason a user reads, made from the kind.
/// </summary>
/// <remarks>
/// <see cref="KindOf"/> is public so that an exception that escapes a run (or an embedder's own I/O beside it) is read by
/// the same rules as a failed file's <see cref="FileResult.ErrorKind"/>; the command line picks its error line that way.
/// </remarks>
public static class FileErrors
{
    // errno (Linux; ENOSPC and EDQUOT) and HRESULT (Windows; ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL) of a full disk.
    private const int NoSpace = 28;
    private const int QuotaExceeded = 122;
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);
    private const int WindowsDiskFull = unchecked((int)0x80070070);

    // errno: EAGAIN/EWOULDBLOCK (a conflicting flock, see RegularFile), ELOOP; Windows: sharing and lock violations.
    private const int WouldBlock = 11;
    private const int TooManyLinks = 40;

    /// <summary>ENAMETOOLONG: the <see cref="Exception.HResult"/> of a <see cref="PathTooLongException"/> whose message is the tool's own, to be shown as it is.</summary>
    internal const int NameTooLongErrno = 36;
    private const int WindowsSharingViolation = unchecked((int)0x80070020);
    private const int WindowsLockViolation = unchecked((int)0x80070021);

    /// <summary>
    /// What kind of failure <paramref name="exception"/> is, read from its type, its <see cref="Exception.HResult"/> and
    /// the system's error number (never from its text), as a failed file's <see cref="FileResult.ErrorKind"/> is.
    /// </summary>
    /// <param name="exception">The exception; one the library wraps (an output that cannot be named) is read by its cause.</param>
    /// <returns>The kind; <see cref="FileErrorKind.IOError"/> for another I/O error, <see cref="FileErrorKind.Other"/> for anything else.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is null.</exception>
    public static FileErrorKind KindOf(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Classify(exception);
    }

    private static FileErrorKind Classify(Exception exception) => exception switch
    {
        OutputNamingException { InnerException: { } cause } => Classify(cause),
        CommandFailedException { TimedOut: true } or TimeoutException or OperationCanceledException { InnerException: TimeoutException } => FileErrorKind.TimedOut,
        CommandFailedException => FileErrorKind.CommandFailed,
        OperationCanceledException => FileErrorKind.Cancelled,
        ChangedDuringTheRun => FileErrorKind.ChangedDuringRun,
        NotRegularFileException => FileErrorKind.NotRegularFile,
        OutputRefusedException => FileErrorKind.OutputRefused,
        UnusableNameException => FileErrorKind.InvalidName,
        FileNotFoundException or DirectoryNotFoundException => FileErrorKind.NotFound,
        UnauthorizedAccessException => FileErrorKind.PermissionDenied,
        PathTooLongException => FileErrorKind.NameTooLong,
        InvalidDataException => FileErrorKind.BadData,
        IOException { HResult: NoSpace or QuotaExceeded or WindowsHandleDiskFull or WindowsDiskFull } => FileErrorKind.DiskFull,
        IOException { HResult: WouldBlock or WindowsSharingViolation or WindowsLockViolation } => FileErrorKind.Locked,
        IOException { HResult: TooManyLinks } => FileErrorKind.LinkLoop,
        IOException => FileErrorKind.IOError,
        _ => FileErrorKind.Other,
    };

    /// <summary>The one-line reason a user reads for <paramref name="exception"/>.</summary>
    internal static string Describe(Exception exception) => Describe(KindOf(exception), exception);

    /// <summary>The one-line reason for <paramref name="exception"/>, of kind <paramref name="kind"/>.</summary>
    internal static string Describe(FileErrorKind kind, Exception exception) => kind switch
    {
        FileErrorKind.NotFound => "file not found (it was removed during the run?)",
        FileErrorKind.PermissionDenied => "permission denied",

        // The tool's own name checks say what the limit is; the system's says only the path.
        FileErrorKind.NameTooLong => exception.HResult == NameTooLongErrno ? exception.Message : "path too long",
        FileErrorKind.DiskFull => exception.InnerException is CommandFailedException failed ? $"disk full ({OneLine(failed.Message)})" : "disk full",
        _ => OneLine(exception.Message),
    };

    private static string OneLine(string message) =>
        message.ReplaceLineEndings(" ").Trim();
}
