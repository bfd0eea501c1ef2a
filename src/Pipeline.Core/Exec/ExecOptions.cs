namespace Pipeline.Exec;

/// <summary>What <see cref="ExecTransform"/> runs for each file, and how it judges the outcome. Checked by <see cref="ExecTransform"/>'s constructor.</summary>
public sealed class ExecOptions
{
    /// <summary>
    /// The command and its arguments, each argument passed as it is (never split, never through a shell) with its
    /// placeholders replaced (see <see cref="ExecTransform"/>); with <see cref="Shell"/>, one element: the command line.
    /// </summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>Whether <see cref="Command"/> is one command line run with <c>/bin/sh -c</c>, each placeholder's value single-quoted. Default: false.</summary>
    public bool Shell { get; init; }

    /// <summary>
    /// The output's path relative to the output root, with the fields <c>{rel}</c> (the input's relative path),
    /// <c>{rel.}</c> (it without its extension), <c>{/}</c> and <c>{/.}</c> (its name, with and without extension).
    /// Default: <c>{rel}</c>.
    /// </summary>
    public string OutputName { get; init; } = "{rel}";

    /// <summary>Whether the command is run for its effect or exit code only: no output file. Default: false.</summary>
    public bool NoOutput { get; init; }

    /// <summary>Exit codes that count as success. Default: 0 alone.</summary>
    public IReadOnlyList<int> OkExitCodes { get; init; } = [0];

    /// <summary>How long one command may run before it and its child processes are killed and its file fails; <see langword="null"/> for no limit (the default). Range: 1 ms to 1 day.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Commands running at once in the pipeline; <see langword="null"/> for the run's parallelism (<c>-p</c>). Range: 1 to 1024.</summary>
    public int? MaxConcurrency { get; init; }
}
