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

    /// <summary>The <c>--chunk-size</c> when none is given.</summary>
    public virtual int DefaultChunkSize => Commands.JobOptions.DefaultChunkSize;

    /// <summary>Adds the transform's own options to <paramref name="command"/> and returns how to build the transform from a parse.</summary>
    public abstract Func<ParseResult, IFileTransform> AddOptions(Command command);

    /// <summary>Why the options a command line gave this transform cannot run as a shard, or <see langword="null"/>.</summary>
    public virtual string? ShardProblem => null;

    /// <summary>What this transform counts of a run's results as they come (rows, bad rows...), for the summary and warnings.</summary>
    public virtual RunObserver CreateObserver() => new();
}
