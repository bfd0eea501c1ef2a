using Pipeline.Running;

namespace Pipeline.Cli.Transforms;

/// <summary>
/// What the command line keeps of a run's results, told of each as it comes in ordinal order: transform-specific
/// counts for the summary and the first warnings. It does not grow with the number of files.
/// </summary>
internal class RunObserver
{
    /// <summary>Warnings printed after a run; the rest are counted.</summary>
    public const int WarningsKept = 20;

    private readonly List<string> _warnings = [];

    /// <summary>Warnings not kept.</summary>
    public int WarningsDropped { get; private set; }

    /// <summary>The first warnings, in ordinal order.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Warnings about the run as a whole, each said once (not per file), printed before <see cref="Warnings"/> unless quiet.</summary>
    public virtual IReadOnlyList<string> RunWarnings => [];

    /// <summary>One line each of what the run left out of its outputs in all (malformed rows, say): printed even when quiet.</summary>
    public virtual IReadOnlyList<string> TotalWarnings => [];

    /// <summary>Transform-specific counts for the summary (table and JSON), e.g. bad rows.</summary>
    public virtual IReadOnlyList<(string Name, long Value)> Counts => [];

    /// <summary>Takes the next result.</summary>
    public virtual void Add(FileResult result, string outputRoot)
    {
    }

    protected void Warn(string warning)
    {
        if (_warnings.Count < WarningsKept)
        {
            _warnings.Add(warning);
        }
        else
        {
            WarningsDropped++;
        }
    }
}
