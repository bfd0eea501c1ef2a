using Pipeline.Sources;

namespace Pipeline.Running;

/// <summary>What a run would do with one file: the answer of <see cref="RunPlanner.Plan"/>, for a dry run.</summary>
public sealed class PlannedFile
{
    /// <summary>Creates the plan for one file.</summary>
    /// <param name="file">The input.</param>
    /// <param name="skip">Whether a resume would skip it (the journal says it is done, unchanged, with the same options).</param>
    /// <param name="outputPath">The output it would write, relative to the output root, or <see langword="null"/> for aggregate-only transforms.</param>
    internal PlannedFile(SourceFile file, bool skip, string? outputPath)
    {
        File = file;
        Skip = skip;
        OutputPath = outputPath;
    }

    /// <summary>The input.</summary>
    public SourceFile File { get; }

    /// <summary>Whether a resume would skip it (the journal says it is done, unchanged, with the same options).</summary>
    public bool Skip { get; }

    /// <summary>The output it would write, relative to the output root, or <see langword="null"/> for aggregate-only transforms.</summary>
    public string? OutputPath { get; }
}
