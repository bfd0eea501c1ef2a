namespace Pipeline.Running.Engine;

/// <summary>Tells I/O errors worth retrying (a file busy or locked for a moment) from permanent ones (missing, forbidden, bad data).</summary>
internal static class TransientErrors
{
    // errno: EAGAIN/EWOULDBLOCK (a conflicting flock), EBUSY, ETXTBSY; Windows: sharing and lock violations.
    private static readonly int[] Codes = [11, 16, 26, unchecked((int)0x80070020), unchecked((int)0x80070021)];

    /// <summary>Whether <paramref name="exception"/> is a transient I/O error.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        FileNotFoundException or DirectoryNotFoundException or PathTooLongException or EndOfStreamException or InvalidDataException => false,
        Safety.ChangedDuringTheRun changed => !changed.Replaced, // its content changed: a retry may read it whole; another file in its place is never read
        IOException io => Array.IndexOf(Codes, io.HResult) >= 0, // by its number only: .NET sets a lock conflict's errno (EWOULDBLOCK) as HResult
        _ => false,
    };
}
