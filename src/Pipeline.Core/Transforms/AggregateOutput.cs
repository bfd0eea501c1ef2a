namespace Pipeline.Transforms;

/// <summary>A file written once at the end of a run, such as a checksum manifest.</summary>
public sealed class AggregateOutput
{
    /// <summary>Creates the output.</summary>
    /// <param name="relativePath">Path under the output root, with <c>/</c> separators.</param>
    /// <param name="content">The bytes to write.</param>
    public AggregateOutput(string relativePath, ReadOnlyMemory<byte> content)
    {
        RelativePath = relativePath;
        Content = content;
    }

    /// <summary>Path under the output root, with <c>/</c> separators.</summary>
    public string RelativePath { get; }

    /// <summary>The bytes to write.</summary>
    public ReadOnlyMemory<byte> Content { get; }
}
