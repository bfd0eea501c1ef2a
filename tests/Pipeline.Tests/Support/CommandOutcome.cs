namespace Pipeline.Tests.Support;

/// <summary>How an <see cref="ExternalCommand"/> ended: its exit code and everything it printed.</summary>
public sealed record CommandOutcome(string Command, int ExitCode, string Out, string Error)
{
    /// <summary>The command, its exit code and its output, for an assertion message.</summary>
    public override string ToString() => $"{Command} exited {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}
