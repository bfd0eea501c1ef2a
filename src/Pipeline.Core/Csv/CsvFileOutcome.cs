namespace Pipeline.Csv;

/// <summary>What the <c>csv</c> transform did with one file: the artifact of its <see cref="Running.FileResult"/>.</summary>
/// <param name="RowsRead">Data rows read (the header not counted), bad ones included.</param>
/// <param name="RowsWritten">Rows written to the output (those that were well formed and met every condition).</param>
/// <param name="BadRows">The malformed rows, in file order.</param>
public sealed record CsvFileOutcome(long RowsRead, long RowsWritten, IReadOnlyList<BadRow> BadRows);
