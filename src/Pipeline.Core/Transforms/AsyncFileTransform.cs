using Pipeline.Running;
using Pipeline.Sources;

namespace Pipeline.Transforms;

/// <summary>
/// The base of a transform that waits (see <see cref="IAsyncFileTransform"/>): implement <see cref="Name"/>,
/// <see cref="Fingerprint"/>, <see cref="GetOutputPath"/> and <see cref="ProcessAsync"/>; aggregate outputs are
/// none unless overridden.
/// </summary>
public abstract class AsyncFileTransform : IAsyncFileTransform
{
    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <inheritdoc/>
    public abstract string Fingerprint { get; }

    /// <inheritdoc/>
    public virtual int? MaxConcurrency => null;

    /// <inheritdoc/>
    public virtual bool TakesOpenFile => false;

    /// <inheritdoc/>
    public abstract string? GetOutputPath(string relativePath);

    /// <inheritdoc/>
    public abstract ValueTask<object?> ProcessAsync(FileWork work, CancellationToken cancellationToken);

    /// <inheritdoc/>
    public virtual IReadOnlyList<AggregateOutput> CreateAggregateOutputs(IReadOnlyList<FileResult> succeeded) => [];

    /// <summary>Not used: the runners call <see cref="ProcessAsync"/> for a transform of this shape.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    IFileProcessor IFileTransform.CreateProcessor(SourceFile file) =>
        throw new NotSupportedException($"the {Name} transform waits: the runners call {nameof(ProcessAsync)}, not {nameof(IFileTransform.CreateProcessor)}");
}
