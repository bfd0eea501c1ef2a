using System.Globalization;

namespace Pipeline.Csv;

/// <summary>
/// A file's columns as the <c>csv</c> transform uses them, resolved once from its first record: their names (the
/// header, or 1 to N without one), the positions written and in what order, and the position each condition tests.
/// </summary>
internal sealed class CsvColumns
{
    private CsvColumns(string[] names, int[] selected, (int Index, CsvCondition Condition)[] filters)
    {
        Names = names;
        Selected = selected;
        Filters = filters;
    }

    /// <summary>The column names: the header row, or <c>1</c> to <c>N</c> when the file has none.</summary>
    public string[] Names { get; }

    /// <summary>Positions of the columns written, in output order: every column when nothing is selected.</summary>
    public int[] Selected { get; }

    /// <summary>Each condition with the position of the column it tests.</summary>
    public (int Index, CsvCondition Condition)[] Filters { get; }

    /// <summary>Resolves the selection and the conditions against the file's first record.</summary>
    /// <exception cref="InvalidDataException">A selected or tested column is missing from the file, or named twice in its header.</exception>
    public static CsvColumns Resolve(string[] first, CsvTransformOptions options, IReadOnlyList<CsvCondition> conditions)
    {
        string[] names = options.HasHeader ? first : [.. Enumerable.Range(1, first.Length).Select(i => i.ToString(CultureInfo.InvariantCulture))];
        int[] selected = options.Select.Count == 0
            ? [.. Enumerable.Range(0, names.Length)]
            : [.. options.Select.Select(name => ColumnIndex(names, name, "in the selection", options))];
        (int, CsvCondition)[] filters = [.. conditions.Select(c => (ColumnIndex(names, c.Column, $"in the condition '{c}'", options), c))];
        return new CsvColumns(names, selected, filters);
    }

    /// <summary>
    /// The position of column <paramref name="name"/>; <paramref name="usedWhere"/> says which setting names it
    /// ("in the selection"), in words that are the same for a library caller and a command-line user.
    /// </summary>
    private static int ColumnIndex(string[] columns, string name, string usedWhere, CsvTransformOptions options)
    {
        var index = Array.IndexOf(columns, name);
        if (index < 0)
        {
            var header = options.HasHeader ? "the header is: " + string.Join(options.Delimiter, columns) : $"the file has {columns.Length} columns, named 1 to {columns.Length}";
            throw new InvalidDataException($"unknown column '{name}' {usedWhere}; {header}");
        }

        if (Array.IndexOf(columns, name, index + 1) >= 0)
        {
            // Taking the first silently would filter or project on a column the user may not have meant.
            var positions = Enumerable.Range(1, columns.Length).Where(i => columns[i - 1] == name).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
            throw new InvalidDataException(
                $"column '{name}' {usedWhere} is ambiguous: the header has it {positions.Count} times (columns {string.Join(", ", positions[..^1])} and {positions[^1]})");
        }

        return index;
    }
}
