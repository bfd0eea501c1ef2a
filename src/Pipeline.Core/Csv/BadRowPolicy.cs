namespace Pipeline.Csv;

/// <summary>What the <c>csv</c> transform does with a malformed row.</summary>
public enum BadRowPolicy
{
    /// <summary>Leave the row out of the output and record it (file, line, reason, raw text) in <c>bad-rows.csv</c>. The default.</summary>
    Skip,

    /// <summary>Fail the whole file at its first bad row, naming the line; no output is written for it.</summary>
    Fail,
}
