using System.Security.Cryptography;

namespace Pipeline.IO;

/// <summary>Turns an exception from processing a file into the one-line reason a user reads.</summary>
internal static class FileErrors
{
    public static string Describe(Exception exception) => exception switch
    {
        FileNotFoundException or DirectoryNotFoundException => "file not found (it was removed during the run?)",
        UnauthorizedAccessException => "permission denied",
        PathTooLongException when exception.Message.StartsWith("output name too long", StringComparison.Ordinal) || exception.Message == "file name too long" => exception.Message,
        PathTooLongException => "path too long",
        InvalidDataException or CryptographicException => OneLine(exception.Message),
        IOException io when io.HResult == 28 || io.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) =>
            io.InnerException is Exec.CommandFailedException failed ? $"disk full ({OneLine(failed.Message)})" : "disk full",
        _ => OneLine(exception.Message),
    };

    private static string OneLine(string message) =>
        message.ReplaceLineEndings(" ").Trim();
}
