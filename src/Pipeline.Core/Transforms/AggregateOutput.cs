namespace Pipeline.Transforms;

/// <summary>A file written once at the end of a run, such as a checksum manifest.</summary>
/// <param name="RelativePath">Path under the output root, with <c>/</c> separators.</param>
/// <param name="Content">The bytes to write.</param>
public sealed record AggregateOutput(string RelativePath, ReadOnlyMemory<byte> Content);
