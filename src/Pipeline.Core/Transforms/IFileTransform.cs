using Pipeline.Running;
using Pipeline.Sources;

namespace Pipeline.Transforms;

/// <summary>
/// A job applied to each file of a run. Implement it to add your own transform: the pipeline and the
/// sequential runner both drive it, so they produce the same bytes.
/// </summary>
/// <remarks>Implementations must be thread-safe: processors for different files are created and used concurrently.</remarks>
public interface IFileTransform
{
    /// <summary>Short name used on the command line and in reports, e.g. <c>hash</c>.</summary>
    string Name { get; }

    /// <summary>
    /// A stable text naming the transform and every option that changes its output, e.g. <c>hash:sha256:sums</c>.
    /// Two transforms with the same fingerprint write the same bytes for the same input.
    /// </summary>
    string Fingerprint { get; }

    /// <summary>
    /// The output path, relative to the output root with <c>/</c> separators, for an input's relative path;
    /// <see langword="null"/> when this transform writes no file per input (only aggregate outputs).
    /// </summary>
    string? GetOutputPath(string relativePath);

    /// <summary>Creates the state that processes one file. Called once per file, on any thread.</summary>
    IFileProcessor CreateProcessor(SourceFile file);

    /// <summary>
    /// The files written once at the end of a run from all successful results (a checksum manifest, say),
    /// relative to the output root. Results come sorted by ordinal relative path. Return an empty list if none.
    /// </summary>
    IReadOnlyList<AggregateOutput> CreateAggregateOutputs(IReadOnlyList<FileResult> succeeded);
}
