namespace Pipeline.Exec;

/// <summary>How a file's command ended when it succeeded: the artifact <see cref="ExecTransform"/> returns for the file.</summary>
public sealed class CommandOutcome
{
    internal CommandOutcome(int exitCode, string standardError)
    {
        ExitCode = exitCode;
        StandardError = standardError;
    }

    /// <summary>Its exit code: one of <see cref="ExecOptions.OkExitCodes"/> (grep's 1, say, for no match).</summary>
    public int ExitCode { get; }

    /// <summary>The lines it wrote to its standard error (its last 8 KiB, which is what is kept), joined by <c>" | "</c>; empty when it wrote none.</summary>
    public string StandardError { get; }
}
