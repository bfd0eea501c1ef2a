namespace Pipeline.Cli;

/// <summary>
/// A problem with the command line that the command itself finds after parsing (a path that is a file, a report
/// that would overwrite another file): exit code 2, one line per problem, each naming the option, nothing touched.
/// Problems the library finds in its options come as <see cref="Running.PipelineOptionsException"/> instead.
/// </summary>
internal sealed class CliUsageException : Exception
{
    public CliUsageException(IReadOnlyList<string> problems)
        : base(string.Join("; ", problems))
    {
        Problems = problems;
    }

    public CliUsageException(string problem)
        : this([problem])
    {
    }

    public CliUsageException()
        : this("invalid arguments")
    {
    }

    public CliUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Each problem, one line each, naming the option as the user typed it.</summary>
    public IReadOnlyList<string> Problems { get; }
}
