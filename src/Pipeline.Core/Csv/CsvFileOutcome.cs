namespace Pipeline.Csv;

/// <summary>What the <c>csv</c> transform did with one file: the artifact of its <see cref="Running.FileResult"/>.</summary>
public sealed class CsvFileOutcome
{
    /// <summary>Creates the outcome of one file.</summary>
    /// <param name="rowsRead">Data rows read (the header not counted), bad ones included.</param>
    /// <param name="rowsWritten">Rows written to the output (those that were well formed and met every condition).</param>
    /// <param name="badRows">The malformed rows, in file order.</param>
    internal CsvFileOutcome(long rowsRead, long rowsWritten, IReadOnlyList<BadRow> badRows)
    {
        RowsRead = rowsRead;
        RowsWritten = rowsWritten;
        BadRows = badRows;
    }

    /// <summary>Data rows read (the header not counted), bad ones included.</summary>
    public long RowsRead { get; }

    /// <summary>Rows written to the output (those that were well formed and met every condition).</summary>
    public long RowsWritten { get; }

    /// <summary>The malformed rows, in file order.</summary>
    public IReadOnlyList<BadRow> BadRows { get; }

    /// <summary>
    /// Conditions that order by a value that is not a number (<c>price&gt;abc</c>) and met a field of this file that is
    /// one: those fields were compared as text. Empty when none did (and for a file a resumed run skipped). Default: empty.
    /// </summary>
    public IReadOnlyList<CsvCondition> NumbersComparedAsText { get; internal init; } = [];
}
