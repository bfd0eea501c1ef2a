namespace Pipeline.Csv;

/// <summary>What the <c>csv</c> transform did with one file: the artifact of its <see cref="Running.FileResult"/>.</summary>
/// <param name="RowsRead">Data rows read (the header not counted), bad ones included.</param>
/// <param name="RowsWritten">Rows written to the output (those that were well formed and met every condition).</param>
/// <param name="BadRows">The malformed rows, in file order.</param>
public sealed record CsvFileOutcome(long RowsRead, long RowsWritten, IReadOnlyList<BadRow> BadRows)
{
    /// <summary>
    /// Conditions that order by a value that is not a number (<c>price&gt;abc</c>) and met a field of this file that is
    /// one: those fields were compared as text. Empty when none did (and for a file a resumed run skipped). Default: empty.
    /// </summary>
    public IReadOnlyList<CsvCondition> NumbersComparedAsText { get; init; } = [];
}
