using Pipeline.Running;

namespace Pipeline.Exec;

/// <summary>
/// What <see cref="ExecTransform"/> runs for each file, and how it judges the outcome. <see cref="Validate"/> checks them
/// all; <see cref="ExecTransform"/>'s constructor validates a copy, lists and all, so later changes never reach a run.
/// </summary>
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

    /// <summary>Commands running at once in the pipeline; <see langword="null"/> for the run's parallelism (<see cref="PipelineOptions.MaxDegreeOfParallelism"/>). Range: 1 to 1024.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>
    /// Checks every setting and reports every problem at once, each naming the property at fault
    /// (<see cref="PipelineOptionsProblem.Property"/>). Whether the command can be run is <see cref="ExecTransform.Resolve"/>'s question.
    /// </summary>
    /// <exception cref="PipelineOptionsException">One or more problems.</exception>
    public void Validate()
    {
        var problems = new List<PipelineOptionsProblem>();
        if (Command is null || Command.Count == 0 || string.IsNullOrEmpty(Command[0]))
        {
            problems.Add(new(nameof(Command), "no command given"));
        }
        else if (Shell && Command.Count != 1)
        {
            problems.Add(new(nameof(Command), $"with {nameof(Shell)}, is one element: the command line"));
        }

        if (string.IsNullOrWhiteSpace(OutputName) || WithoutFields(OutputName).Length == OutputName.Length)
        {
            problems.Add(new(nameof(OutputName), $"the output name '{OutputName}' names no field of the input ({{rel}}, {{rel.}}, {{/}} or {{/.}}): every file's output would land on one path"));
        }
        else if (Path.IsPathRooted(OutputName) || OutputName.Split('/').Any(part => part is ".." or "." or "") || (OutputName.Split('/')[0] == Unattended.RunJournal.FolderName && !OutputName.StartsWith(Safety.OutputClaims.PartsFolder, StringComparison.Ordinal)))
        {
            problems.Add(new(nameof(OutputName), $"the output name '{OutputName}' is not a path inside the output folder"));
        }
        else if (UnknownField(OutputName) is { } unknown)
        {
            problems.Add(new(nameof(OutputName), $"the output name '{OutputName}' has {unknown}, which is not one of its fields ({{rel}}, {{rel.}}, {{/}} or {{/.}})"));
        }

        if (NoOutput && OutputName != "{rel}")
        {
            problems.Add(new(nameof(OutputName), $"names an output, and {nameof(NoOutput)} says there is none"));
        }

        if (NoOutput && Command is not null && Command.Any(a => a.Contains("{out}", StringComparison.Ordinal)))
        {
            problems.Add(new(nameof(NoOutput), "{out} names an output, and the options say there is none"));
        }

        if (OkExitCodes is null || OkExitCodes.Count == 0 || OkExitCodes.Any(code => code is < 0 or > 255))
        {
            problems.Add(new(nameof(OkExitCodes), "must list at least one exit code, each from 0 to 255"));
        }

        if (Timeout is { } timeout && (timeout < TimeSpan.FromMilliseconds(1) || timeout > TimeSpan.FromDays(1)))
        {
            problems.Add(new(nameof(Timeout), "the time-out must be between 1 ms and 1 day"));
        }

        if (MaxConcurrency is < 1 or > 1024)
        {
            problems.Add(new(nameof(MaxConcurrency), "the number of commands at once must be between 1 and 1024"));
        }

        if (problems.Count > 0)
        {
            throw new PipelineOptionsException(problems);
        }
    }

    /// <summary>A copy, lists and all, taken by the transform when it is made.</summary>
    internal ExecOptions Clone() => new()
    {
        Command = Command is null ? [] : [.. Command],
        Shell = Shell,
        OutputName = OutputName,
        NoOutput = NoOutput,
        OkExitCodes = OkExitCodes is null ? [] : [.. OkExitCodes],
        Timeout = Timeout,
        MaxConcurrency = MaxConcurrency,
    };

    /// <summary>A <c>{...}</c> left once the output name's own fields are taken out (a command's placeholder, a typo), or <see langword="null"/>.</summary>
    private static string? UnknownField(string outputName)
    {
        var rest = WithoutFields(outputName);
        var open = rest.IndexOf('{', StringComparison.Ordinal);
        var close = open < 0 ? -1 : rest.IndexOf('}', open);
        return close < 0 ? null : rest[open..(close + 1)];
    }

    /// <summary>The output name with its fields taken out: shorter than the name if it has any.</summary>
    private static string WithoutFields(string outputName) =>
        outputName.Replace("{rel.}", string.Empty, StringComparison.Ordinal).Replace("{rel}", string.Empty, StringComparison.Ordinal)
            .Replace("{/.}", string.Empty, StringComparison.Ordinal).Replace("{/}", string.Empty, StringComparison.Ordinal);
}
