namespace Pipeline.Running;

/// <summary>
/// One problem a <c>Validate</c> found, in the library's own terms: the property at fault, as it is named in code
/// (<c>Select</c>, <c>MemoryBudget</c>, <c>Selection.Include</c>), and why. A host that exposes the properties under
/// other names, such as a command line with its flags, can show the problem under its own name for the property.
/// </summary>
/// <param name="Property">
/// The property at fault, dotted from the options object that was validated (<c>Selection.Include</c>), or
/// <see langword="null"/> when the problem is about the input or output folder as a whole (not found, overlapping).
/// </param>
/// <param name="Reason">Why, as one line that does not repeat <paramref name="Property"/>; it may name other properties.</param>
/// <remarks>A class, not a record: a problem is read and shown, and value equality would only be public surface.</remarks>
public sealed class PipelineOptionsProblem(string? Property, string Reason)
{
    /// <summary>The property at fault, dotted from the options object that was validated; <see langword="null"/> for the folders as a whole.</summary>
    public string? Property { get; } = Property;

    /// <summary>Why, as one line that does not repeat <see cref="Property"/>.</summary>
    public string Reason { get; } = Reason;

    /// <summary>The problem as one line: <c>Property: reason</c>, or the reason alone when there is no property.</summary>
    public override string ToString() => Property is null ? Reason : $"{Property}: {Reason}";
}
