using Pipeline.Sources;

namespace Pipeline.Running;

/// <summary>What a run would do with one file: the answer of <see cref="RunPlanner.Plan(Transforms.IFileTransform, PipelineOptions, CancellationToken)"/>, for a dry run.</summary>
/// <param name="File">The input.</param>
/// <param name="Skip">Whether a resume would skip it (the journal says it is done, unchanged, with the same options).</param>
/// <param name="OutputPath">The output it would write, relative to the output root, or <see langword="null"/> for aggregate-only transforms.</param>
public sealed record PlannedFile(SourceFile File, bool Skip, string? OutputPath);
