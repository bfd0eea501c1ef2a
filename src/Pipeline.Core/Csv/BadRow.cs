namespace Pipeline.Csv;

/// <summary>A malformed row, as <c>bad-rows.csv</c> lists it.</summary>
/// <param name="File">The input's relative path.</param>
/// <param name="Line">The physical line the row starts on, as a text editor numbers it (1 is the first line).</param>
/// <param name="Reason">What is wrong, e.g. <c>3 fields, expected 4</c>.</param>
/// <param name="Raw">The row's text as read (invalid UTF-8 bytes shown as U+FFFD), cut to <see cref="MaxRawLength"/> characters.</param>
public sealed record BadRow(string File, long Line, string Reason, string Raw)
{
    /// <summary>Longest raw text kept for one bad row.</summary>
    public const int MaxRawLength = 4096;
}
