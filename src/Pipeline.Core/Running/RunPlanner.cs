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
        options.Validate();
        return PlanCore(transform, options, cancellationToken);
    }

    private static IEnumerable<PlannedFile> PlanCore(IFileTransform transform, PipelineOptions options, CancellationToken cancellationToken)
    {
        // Read as the walk goes, never whole: the same lookups, in the same order, as the run's own resume.
        using var journal = options.Resume && options.Journal ? RunJournal.OpenReadOnly(options.OutputRoot, transform, options.Shard) : null;
        foreach (var file in new OutputClaims(transform, options.OutputRoot, options.Selection.ExcludedFiles).Apply(GlobFileSource.Enumerate(options.EffectiveSelection, cancellationToken)))
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
