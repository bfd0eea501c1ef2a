using Pipeline.Safety;
using Pipeline.Sources;
using Pipeline.Transforms;
using Pipeline.Unattended;

namespace Pipeline.Running;

/// <summary>A dry run: what a run would process, skip and write, computed without touching anything.</summary>
public static class RunPlanner
{
    /// <summary>Lists, in order, what a run with <paramref name="options"/> would do with each selected file. Reads the journal when resuming; writes nothing.</summary>
    /// <exception cref="PipelineOptionsException">The options are invalid.</exception>
    public static IEnumerable<PlannedFile> Plan(IFileTransform transform, PipelineOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(options);
        options = options.Clone();
        options.Validate();
        return PlanCore(transform, options, null, cancellationToken);
    }

    /// <summary>
    /// Lists what a run would do, as <see cref="Plan(IFileTransform, PipelineOptions, CancellationToken)"/> does, and tells
    /// <paramref name="linkNotFollowed"/>, in the walk's order, of each symbolic link the run would leave out (those
    /// <see cref="RunSummary.SymbolicLinksNotFollowed"/> counts).
    /// </summary>
    internal static IEnumerable<PlannedFile> Plan(IFileTransform transform, PipelineOptions options, Action<string> linkNotFollowed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(options);
        options = options.Clone();
        options.Validate();
        return PlanCore(transform, options, linkNotFollowed, cancellationToken);
    }

    private static IEnumerable<PlannedFile> PlanCore(IFileTransform transform, PipelineOptions options, Action<string>? linkNotFollowed, CancellationToken cancellationToken)
    {
        var only = options.Shard;
        Action<string>? told = linkNotFollowed is null ? null : path =>
        {
            if (only is null || only.Contains(path.TrimEnd('/')))
            {
                linkNotFollowed(path);
            }
        };

        // Read as the walk goes, never whole: the same lookups, in the same order, as the run's own resume.
        using var journal = options.Resume && options.Journal ? RunJournal.OpenReadOnly(options.OutputRoot, transform, options.Shard) : null;
        foreach (var file in new OutputClaims(transform, options.OutputRoot, options.Selection.ExcludedFiles).Apply(GlobFileSource.Enumerate(options.EffectiveSelection, told, cancellationToken)))
        {
            if (options.Shard is { } shard && !shard.Contains(file.RelativePath))
            {
                continue;
            }

            var output = file.EnumerationError is null ? transform.GetOutputPath(file.RelativePath) : null;
            var skip = journal?.TryResume(file) is not null;
            yield return new PlannedFile(file, skip, output);
        }
    }
}
