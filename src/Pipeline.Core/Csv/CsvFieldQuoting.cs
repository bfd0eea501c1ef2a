using System.Buffers;
using System.Globalization;
using CsvHelper.Configuration;

namespace Pipeline.Csv;

/// <summary>
/// The one quoting rule of every CSV the tool writes (csv transform outputs, <c>bad-rows.csv</c>, <c>hashes.csv</c>,
/// the run report), so that each reads back as exactly the rows and fields written, whatever they hold.
/// A field is quoted, its quotes doubled, when it holds a CR, an LF, a quote or the output delimiter, or starts or
/// ends with a space (kept from CsvHelper's own rule, so readers that trim cannot change it). A record of one empty
/// field is written as <c>""</c>, since an empty line is skipped as blank by most readers, ours included.
/// </summary>
/// <remarks>
/// CsvHelper's default rule looks only for the configured <c>NewLine</c> once one is set: with <c>"\n"</c> a lone CR
/// was written bare, and any reader then split the record there. The check costs one vectorised search per field
/// and allocates nothing unless the field is quoted.
/// </remarks>
internal static class CsvFieldQuoting
{
    private static readonly SearchValues<char>?[] Specials = new SearchValues<char>?[128];

    /// <summary>Whether <paramref name="field"/> must be quoted when written with <paramref name="delimiter"/>.</summary>
    /// <param name="field">The field's text.</param>
    /// <param name="delimiter">The output delimiter.</param>
    /// <param name="onlyField">Whether the field is its record's only field, where an empty one would read as a blank line.</param>
    public static bool NeedsQuotes(ReadOnlySpan<char> field, char delimiter, bool onlyField = false) =>
        field.Length == 0 ? onlyField : NeedsQuotes(field, SpecialsFor(delimiter));

    /// <summary>A CsvHelper writer configuration using this rule: <paramref name="delimiter"/>, LF line ends, invariant culture.</summary>
    /// <param name="delimiter">The output delimiter.</param>
    /// <param name="singleColumn">Whether every record has exactly one field (then an empty field is quoted).</param>
    public static CsvConfiguration WriterConfiguration(char delimiter = ',', bool singleColumn = false)
    {
        var specials = SpecialsFor(delimiter);
        return new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter.ToString(),
            NewLine = "\n",
            ShouldQuote = args => args.Field is not { Length: > 0 } field ? singleColumn : NeedsQuotes(field, specials),
        };
    }

    /// <summary>Whether the non-empty <paramref name="field"/> must be quoted; <paramref name="specials"/> from <see cref="SpecialsFor"/>.</summary>
    public static bool NeedsQuotes(ReadOnlySpan<char> field, SearchValues<char> specials) =>
        field[0] == ' ' || field[^1] == ' ' || field.ContainsAny(specials);

    /// <summary>The characters that make a field quoted when written with <paramref name="delimiter"/>.</summary>
    public static SearchValues<char> SpecialsFor(char delimiter)
    {
        if (delimiter >= Specials.Length)
        {
            return SearchValues.Create(['\r', '\n', '"', delimiter]);
        }

        // A race only builds the same immutable set twice.
        return Specials[delimiter] ??= SearchValues.Create(['\r', '\n', '"', delimiter]);
    }
}
