namespace Pipeline.Csv;

/// <summary>The comparison of a <see cref="CsvCondition"/>.</summary>
public enum CsvOperator
{
    /// <summary><c>=</c></summary>
    Equal,

    /// <summary><c>!=</c></summary>
    NotEqual,

    /// <summary><c>&gt;</c></summary>
    Greater,

    /// <summary><c>&gt;=</c></summary>
    GreaterOrEqual,

    /// <summary><c>&lt;</c></summary>
    Less,

    /// <summary><c>&lt;=</c></summary>
    LessOrEqual,

    /// <summary><c>~</c>: the field matches a .NET regular expression (anywhere in the field).</summary>
    Matches,
}
