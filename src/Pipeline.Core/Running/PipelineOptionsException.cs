namespace Pipeline.Running;

/// <summary>Thrown before any I/O when run options are invalid; lists every problem at once.</summary>
public sealed class PipelineOptionsException : ArgumentException
{
    /// <summary>Creates the exception from the list of problems.</summary>
    public PipelineOptionsException(IReadOnlyList<string> problems)
        : base(string.Join("; ", problems))
    {
        Problems = problems;
    }

    /// <summary>Creates the exception with one problem.</summary>
    public PipelineOptionsException(string message)
        : this([message])
    {
    }

    /// <summary>Creates an exception with no listed problem.</summary>
    public PipelineOptionsException()
        : this("invalid options")
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public PipelineOptionsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Each problem, one line each.</summary>
    public IReadOnlyList<string> Problems { get; }
}
