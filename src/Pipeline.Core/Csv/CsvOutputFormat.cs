namespace Pipeline.Csv;

/// <summary>What the <c>csv</c> transform writes for each input.</summary>
public enum CsvOutputFormat
{
    /// <summary>CSV, at the input's relative path (the default).</summary>
    Csv,

    /// <summary>JSON Lines: one object per row, at the relative path with the extension <c>.jsonl</c>.</summary>
    Jsonl,
}
