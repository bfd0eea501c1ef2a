namespace Pipeline.Unattended;

/// <summary>Thrown when another run holds the output folder's lock. Nothing has been touched.</summary>
public sealed class OutputLockedException : IOException
{
    /// <summary>Creates the exception.</summary>
    internal OutputLockedException(string outputRoot, string? holderProcessId, Exception? innerException = null)
        : base($"output folder is in use by another pipeline run{(holderProcessId is { Length: > 0 } ? $" (process {holderProcessId})" : string.Empty)}: {outputRoot}", innerException)
    {
        OutputRoot = outputRoot;
        HolderProcessId = holderProcessId;
    }

    /// <summary>Creates the exception with no output folder and no holder named (the standard constructor).</summary>
    public OutputLockedException()
        : this(string.Empty, (string?)null)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public OutputLockedException(string message, Exception innerException)
        : base(message, innerException)
    {
        OutputRoot = string.Empty;
    }

    /// <summary>The locked output folder.</summary>
    public string OutputRoot { get; }

    /// <summary>The process id written by the holder, when it could be read.</summary>
    public string? HolderProcessId { get; }
}
