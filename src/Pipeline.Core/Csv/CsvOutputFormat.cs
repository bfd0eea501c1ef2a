namespace Pipeline.Csv;

/// <summary>What the <c>csv</c> transform writes for each input.</summary>
public enum CsvOutputFormat
{
    /// <summary>CSV, at the input's relative path (the default).</summary>
    Csv,

    /// <summary>
    /// JSON Lines: one object per row, at the relative path with the extension <c>.jsonl</c>. Keys are unique: the
    /// first column of a name keeps it, the n-th is written as <c>name_n</c>, a column with an empty name as
    /// <c>column_N</c> (N its 1-based position); a generated key the header already has takes the next free number.
    /// </summary>
    Jsonl,
}
