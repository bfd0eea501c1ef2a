using System.Buffers;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace Pipeline.Csv;

/// <summary>
/// One condition of <see cref="CsvTransformOptions.Where"/>, <c>column OP value</c> with OP one of <c>= != &gt; &gt;= &lt; &lt;= ~</c>.
/// Both sides are compared as numbers (invariant culture) when both parse as finite numbers, otherwise as
/// ordinal strings; <c>~</c> is a regular-expression match. An empty field is the empty string.
/// </summary>
public sealed class CsvCondition
{
    // Longest operators first, so "a>=1" is not read as "a>" "=1".
    private static readonly (string Text, CsvOperator Op)[] Operators =
    [
        (">=", CsvOperator.GreaterOrEqual), ("<=", CsvOperator.LessOrEqual), ("!=", CsvOperator.NotEqual),
        ("=", CsvOperator.Equal), (">", CsvOperator.Greater), ("<", CsvOperator.Less), ("~", CsvOperator.Matches),
    ];

    /// <summary>The characters operators are made of: a value may not start with one (a mistyped operator, as in <c>a &gt;&gt; 3</c>).</summary>
    private const string OperatorCharacters = "=!<>~";

    private readonly Regex? _regex;
    private readonly double _number;
    private readonly bool _valueIsNumber;

    private CsvCondition(string column, CsvOperator op, string value)
    {
        Column = column;
        Operator = op;
        Value = value;
        _valueIsNumber = TryNumber(value, out _number);
        if (op == CsvOperator.Matches)
        {
            _regex = new Regex(value, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));
        }
    }

    /// <summary>The column name (or 1-based number for files without a header).</summary>
    public string Column { get; }

    /// <summary>The comparison.</summary>
    public CsvOperator Operator { get; }

    /// <summary>The value compared with.</summary>
    public string Value { get; }

    /// <summary>Parses <c>column OP value</c>; spaces around the column and the operator are ignored.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="expression"/> is null.</exception>
    /// <exception cref="FormatException">
    /// No operator, no column, or an invalid regular expression; the message, <c>'expression' is not a condition: why</c>, says which.
    /// </exception>
    public static CsvCondition Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var best = -1;
        (string Text, CsvOperator Op) found = (string.Empty, CsvOperator.Equal);
        foreach (var candidate in Operators)
        {
            var at = expression.IndexOf(candidate.Text, StringComparison.Ordinal);
            if (at > 0 && (best < 0 || at < best || (at == best && candidate.Text.Length > found.Text.Length)))
            {
                best = at;
                found = candidate;
            }
        }

        if (best <= 0)
        {
            throw new FormatException($"'{expression}' is not a condition: expected 'column OP value' with OP one of = != > >= < <= ~");
        }

        var column = expression[..best].Trim();
        var value = expression[(best + found.Text.Length)..].Trim();
        if (column.Length == 0)
        {
            throw new FormatException($"'{expression}' is not a condition: the column name is missing");
        }

        if (OperatorCharacters.Contains(column[^1]))
        {
            // "price !~ x" would otherwise be column "price !": the operator is what the user typed around the one found.
            var start = column.AsSpan().LastIndexOfAnyExcept(OperatorCharacters) + 1;
            throw new FormatException($"'{expression}' is not a condition: '{column[start..]}{found.Text}' is not an operator; OP is one of = != > >= < <= ~");
        }

        if (found.Op == CsvOperator.Matches && value.StartsWith('='))
        {
            // "price ~= x" would otherwise match the regular expression "= x"; one that starts with '=' is written \=.
            throw new FormatException($"'{expression}' is not a condition: '~=' is not an operator (did you mean '~'? a pattern that starts with '=' is written '\\='); OP is one of = != > >= < <= ~");
        }

        if (found.Op != CsvOperator.Matches && value.Length > 0 && OperatorCharacters.Contains(value[0]))
        {
            // "price >> 3" would otherwise be price > "> 3": an operator mistyped is refused, not compared with.
            var typed = found.Text + value[..(value.AsSpan().IndexOfAnyExcept(OperatorCharacters) is var end and >= 0 ? end : value.Length)];
            var meant = typed switch { "==" => "=", "<>" => "!=", "=>" => ">=", "=<" => "<=", "=~" => "~", _ => null };
            throw new FormatException($"'{expression}' is not a condition: '{typed}' is not an operator{(meant is null ? string.Empty : $" (did you mean '{meant}'?)")}; OP is one of = != > >= < <= ~");
        }

        try
        {
            return new CsvCondition(column, found.Op, value);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"'{expression}' is not a condition: invalid regular expression: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Whether an ordering (<c>&gt; &gt;= &lt; &lt;=</c>) compares with a value that is not a number: a field that is one
    /// is then compared as text ("10" &lt; "9"), which a user of a numeric column would not expect.
    /// </summary>
    internal bool OrdersByText => _regex is null && !_valueIsNumber && Operator is CsvOperator.Greater or CsvOperator.GreaterOrEqual or CsvOperator.Less or CsvOperator.LessOrEqual;

    /// <summary>Whether a field's text is a number, as conditions read numbers.</summary>
    internal static bool IsNumber(ReadOnlySpan<char> field) => TryNumber(field, out _);

    /// <summary>Whether the valid UTF-8 field is a number, as conditions read numbers.</summary>
    internal static bool IsNumber(ReadOnlySpan<byte> field) =>
        double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number);

    /// <summary>Whether <paramref name="field"/> meets the condition.</summary>
    internal bool IsMetBy(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return IsMetBy(field.AsSpan());
    }

    /// <summary>Whether the field whose text is <paramref name="field"/> meets the condition.</summary>
    internal bool IsMetBy(ReadOnlySpan<char> field)
    {
        if (_regex is not null)
        {
            return _regex.IsMatch(field);
        }

        return Holds(_valueIsNumber && TryNumber(field, out var number)
            ? number.CompareTo(_number)
            : field.SequenceCompareTo(Value));
    }

    /// <summary>
    /// Whether the field whose text is the valid UTF-8 <paramref name="field"/> meets the condition: a number is read
    /// from the bytes themselves (the same parser as for characters), anything else is compared as characters.
    /// </summary>
    internal bool IsMetBy(ReadOnlySpan<byte> field)
    {
        if (_regex is null && _valueIsNumber && double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return Holds(number.CompareTo(_number));
        }

        const int OnStack = 256;
        char[]? rented = null;
        var chars = field.Length <= OnStack ? stackalloc char[OnStack] : (rented = ArrayPool<char>.Shared.Rent(field.Length));
        try
        {
            Utf8.ToUtf16(field, chars, out _, out var written, replaceInvalidSequences: true, isFinalBlock: true);
            return IsMetBy(chars[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Whether a field that compares to the value as <paramref name="order"/> says meets the condition.</summary>
    private bool Holds(int order) => Operator switch
    {
        CsvOperator.Equal => order == 0,
        CsvOperator.NotEqual => order != 0,
        CsvOperator.Greater => order > 0,
        CsvOperator.GreaterOrEqual => order >= 0,
        CsvOperator.Less => order < 0,
        _ => order <= 0,
    };

    /// <inheritdoc/>
    public override string ToString() => $"{Column}{Operators.First(o => o.Op == Operator).Text}{Value}";

    private static bool TryNumber(ReadOnlySpan<char> text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
