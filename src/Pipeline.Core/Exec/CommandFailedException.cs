namespace Pipeline.Exec;

/// <summary>A file's command ended in a way that fails the file: an exit code not counted as success, or a time-out.</summary>
public sealed class CommandFailedException : Exception
{
    /// <summary>Creates the exception with the one-line reason a user reads.</summary>
    public CommandFailedException(string message, int? exitCode, bool timedOut)
        : this(message, exitCode, timedOut, null)
    {
    }

    /// <summary>Creates the exception with the one-line reason a user reads and the error that caused it (a command that could not be started).</summary>
    public CommandFailedException(string message, int? exitCode, bool timedOut, Exception? innerException)
        : base(message, innerException)
    {
        ExitCode = exitCode;
        TimedOut = timedOut;
    }

    /// <summary>The command's exit code; <see langword="null"/> when it was killed for its time-out or could not be started.</summary>
    public int? ExitCode { get; }

    /// <summary>Whether it ran past <see cref="ExecOptions.Timeout"/> and was killed.</summary>
    public bool TimedOut { get; }
}
