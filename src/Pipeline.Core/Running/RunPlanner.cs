using Pipeline.Safety;
using Pipeline.Sources;
using Pipeline.Transforms;
using Pipeline.Unattended;

namespace Pipeline.Running;

/// <summary>A dry run: what a run would process, skip and write, computed without touching anything.</summary>
public static class RunPlanner
{
    /// <summary>
    /// Lists, in order, what a run with <paramref name="options"/> would do with each selected file. Reads the journal
    /// when resuming; writes nothing. The files are walked as the sequence is read.
    /// </summary>
    /// <param name="transform">The transform the run would use.</param>
    /// <param name="options">The run's options; copied, so later changes do not reach the plan.</param>
    /// <param name="linkNotFollowed">
    /// Told, in the walk's order, of each symbolic link the run would leave out (those
    /// <see cref="RunSummary.SymbolicLinksNotFollowed"/> counts): its relative path, a folder's ending in <c>/</c>.
    /// Default: <see langword="null"/>, not told.
    /// </param>
    /// <param name="cancellationToken">Stops the walk.</param>
    /// <returns>One plan per selected file, in ordinal order of relative paths.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="transform"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="PipelineOptionsException">The options are invalid.</exception>
    public static IEnumerable<PlannedFile> Plan(IFileTransform transform, PipelineOptions options, Action<string>? linkNotFollowed = null, CancellationToken cancellationToken = default)
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
