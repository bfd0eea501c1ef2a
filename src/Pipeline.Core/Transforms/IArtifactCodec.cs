namespace Pipeline.Transforms;

/// <summary>
/// Implemented by a transform whose per-file artifacts feed its aggregate outputs (the hash manifest, the list
/// of bad rows): the journal stores them as text, so a resumed run can rebuild those outputs in full without
/// processing the skipped files again.
/// </summary>
public interface IArtifactCodec
{
    /// <summary>The artifact as one line of text (no line breaks), or <see langword="null"/> for none.</summary>
    string? Encode(object? artifact);

    /// <summary>The artifact back from <see cref="Encode"/>'s text.</summary>
    /// <exception cref="FormatException">The text is not what <see cref="Encode"/> writes.</exception>
    object? Decode(string? text);
}
