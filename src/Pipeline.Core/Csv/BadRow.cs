namespace Pipeline.Csv;

/// <summary>A malformed row, as <c>bad-rows.csv</c> lists it.</summary>
/// <param name="File">The input's relative path.</param>
/// <param name="Line">The physical line the row starts on, as a text editor numbers it (1 is the first line).</param>
/// <param name="Reason">What is wrong, e.g. <c>3 fields, expected 4</c>.</param>
/// <param name="Raw">The row's text as read (invalid UTF-8 bytes shown as U+FFFD), cut to <see cref="MaxRawLength"/> characters.</param>
/// <remarks>A class, not a record: a bad row is read and listed, and value equality would only be public surface.</remarks>
public sealed class BadRow(string File, long Line, string Reason, string Raw)
{
    /// <summary>The input's relative path.</summary>
    public string File { get; } = File;

    /// <summary>The physical line the row starts on (1 is the first line).</summary>
    public long Line { get; } = Line;

    /// <summary>What is wrong, e.g. <c>3 fields, expected 4</c>.</summary>
    public string Reason { get; } = Reason;

    /// <summary>The row's text as read, cut to <see cref="MaxRawLength"/> characters.</summary>
    public string Raw { get; } = Raw;

    /// <summary>Longest raw text kept for one bad row.</summary>
    internal const int MaxRawLength = 4096;
}
