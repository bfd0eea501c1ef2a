using System.CommandLine;
using Pipeline.Running;
using Pipeline.Transforms;

namespace Pipeline.Cli.Transforms;

/// <summary>A transform as the command line offers it: its name, description and options.</summary>
internal abstract class TransformSpec
{
    public abstract string Name { get; }

    public abstract string Description { get; }

    /// <summary>The include patterns when the user gives none.</summary>
    public virtual IReadOnlyList<string> DefaultInclude => [Pipeline.Sources.FileSelection.AllFiles];

    /// <summary>Adds the transform's own options to <paramref name="command"/> and returns how to build the transform from a parse.</summary>
    public abstract Func<ParseResult, IFileTransform> AddOptions(Command command);

    /// <summary>Transform-specific counts for the summary (table and JSON), e.g. bad rows.</summary>
    public virtual IReadOnlyList<(string Name, long Value)> Counts(RunSummary summary) => [];

    /// <summary>Lines for stderr after a run, one per file worth a warning.</summary>
    public virtual IEnumerable<string> Warnings(RunSummary summary, string outputRoot) => [];
}
