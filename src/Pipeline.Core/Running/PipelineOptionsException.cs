namespace Pipeline.Running;

/// <summary>Thrown before any I/O when run options are invalid; lists every problem at once.</summary>
public sealed class PipelineOptionsException : ArgumentException
{
    /// <summary>Creates the exception from problems that name the property at fault.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="problems"/> is null.</exception>
    public PipelineOptionsException(IReadOnlyList<PipelineOptionsProblem> problems)
        : base(string.Join("; ", problems ?? throw new ArgumentNullException(nameof(problems))))
    {
        Problems = problems;
    }

    /// <summary>Creates the exception from the list of problems, none tied to a property.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="problems"/> is null.</exception>
    internal PipelineOptionsException(IReadOnlyList<string> problems)
        : this([.. (problems ?? throw new ArgumentNullException(nameof(problems))).Select(p => new PipelineOptionsProblem(null, p))])
    {
    }

    /// <summary>Creates the exception with one problem, not tied to a property.</summary>
    public PipelineOptionsException(string message)
        : this([message])
    {
    }

    /// <summary>Creates an exception with one problem: "invalid options".</summary>
    public PipelineOptionsException()
        : this("invalid options")
    {
    }

    /// <summary>Creates the exception with one problem, not tied to a property, and the exception that caused it.</summary>
    public PipelineOptionsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [new PipelineOptionsProblem(null, message)];
    }

    /// <summary>
    /// Every problem found, each with the property at fault, in the order found; <see cref="PipelineOptionsProblem.ToString"/>
    /// gives one as a line (<c>Property: reason</c>), and the exception's message is those lines joined by <c>"; "</c>.
    /// </summary>
    public IReadOnlyList<PipelineOptionsProblem> Problems { get; }
}
