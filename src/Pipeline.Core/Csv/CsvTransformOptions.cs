using Pipeline.Running;

namespace Pipeline.Csv;

/// <summary>Settings of the <c>csv</c> transform. <see cref="Validate"/> checks them all before any file is read.</summary>
public sealed class CsvTransformOptions
{
    /// <summary>
    /// Output columns, in this order; empty means every column in the input's order. Default: empty.
    /// A name that a file's header lacks, or has more than once, fails that file.
    /// </summary>
    public IReadOnlyList<string> Select { get; set; } = [];

    /// <summary>
    /// Conditions (<c>column OP value</c>) a row must all meet to be written. Default: none.
    /// A column that a file's header lacks, or has more than once, fails that file.
    /// </summary>
    public IReadOnlyList<string> Where { get; set; } = [];

    /// <summary>Output format. Default: <see cref="CsvOutputFormat.Csv"/>.</summary>
    public CsvOutputFormat To { get; set; } = CsvOutputFormat.Csv;

    /// <summary>Field delimiter of the input, one ASCII character other than a quote, CR or LF. Default: <c>,</c>.</summary>
    public char Delimiter { get; set; } = ',';

    /// <summary>Field delimiter of CSV output. Default: the same as <see cref="Delimiter"/>.</summary>
    public char? OutputDelimiter { get; set; }

    /// <summary>Whether the first row is a header. Without one, columns are named by their 1-based number. Default: true.</summary>
    public bool HasHeader { get; set; } = true;

    /// <summary>
    /// Whether a row with fewer fields than the header is padded with empty fields (as Miller's ragged input), rather
    /// than malformed: files that leave out trailing empty fields. A row with more fields is malformed either way.
    /// Default: false.
    /// </summary>
    public bool PadShortRows { get; set; }

    /// <summary>What to do with malformed rows. Default: <see cref="BadRowPolicy.Skip"/>.</summary>
    public BadRowPolicy BadRows { get; set; } = BadRowPolicy.Skip;

    /// <summary>JSON Lines only: write numbers, booleans and null (empty field) as JSON types instead of strings. Default: false.</summary>
    public bool InferTypes { get; set; }

    /// <summary>
    /// Longest record kept in memory, in bytes; a longer one (usually an unterminated quote) is a bad row, so memory
    /// stays bounded whatever the input. Default: 16 MiB. Range: 1 KiB to 1 GiB.
    /// </summary>
    public int MaxRecordBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Checks every setting and reports every problem at once, each naming the property at fault
    /// (<see cref="PipelineOptionsProblem.Property"/>) in the library's terms.
    /// </summary>
    /// <exception cref="PipelineOptionsException">One or more problems.</exception>
    public void Validate()
    {
        var problems = new List<PipelineOptionsProblem>();
        CheckDelimiter(nameof(Delimiter), Delimiter, problems);
        if (OutputDelimiter is { } output)
        {
            CheckDelimiter(nameof(OutputDelimiter), output, problems);
        }

        if (Select.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add(new(nameof(Select), "has an empty column name"));
        }

        if (Select.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            problems.Add(new(nameof(Select), $"names column '{twice.Key}' twice"));
        }

        foreach (var expression in Where)
        {
            try
            {
                CsvCondition.Parse(expression);
            }
            catch (FormatException ex)
            {
                problems.Add(new(nameof(Where), ex.Message));
            }
        }

        if (InferTypes && To != CsvOutputFormat.Jsonl)
        {
            problems.Add(new(nameof(InferTypes), $"applies only when {nameof(To)} is {nameof(CsvOutputFormat.Jsonl)}"));
        }

        if (OutputDelimiter is not null && To == CsvOutputFormat.Jsonl)
        {
            problems.Add(new(nameof(OutputDelimiter), $"applies only when {nameof(To)} is {nameof(CsvOutputFormat.Csv)}"));
        }

        if (MaxRecordBytes is < 1024 or > 1024 * 1024 * 1024)
        {
            problems.Add(new(nameof(MaxRecordBytes), "must be between 1 KiB and 1 GiB"));
        }

        if (problems.Count > 0)
        {
            throw new PipelineOptionsException(problems);
        }
    }

    /// <summary>A copy, lists and all, taken by the transform when it is made, so that later changes never reach it.</summary>
    internal CsvTransformOptions Clone()
    {
        var copy = (CsvTransformOptions)MemberwiseClone();
        copy.Select = [.. Select];
        copy.Where = [.. Where];
        return copy;
    }

    private static void CheckDelimiter(string property, char delimiter, List<PipelineOptionsProblem> problems)
    {
        if (delimiter is '"' or '\r' or '\n' || !char.IsAscii(delimiter))
        {
            problems.Add(new(property, "must be one ASCII character other than a quote or a line break"));
        }
    }
}
