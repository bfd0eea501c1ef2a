using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text;

namespace Pipeline.Cli.Commands;

/// <summary>
/// Options and arguments whose values are checked while they are parsed. A bad value becomes one parse error,
/// <c>--option: 'value' reason</c>, so the command exits 2 before its action runs and before anything is created;
/// no value is ever converted later by code that could throw.
/// </summary>
/// <remarks>
/// None of these options has a <c>DefaultValueFactory</c>: the default is stated once, in words, in the description
/// (help would otherwise print it a second time, as a raw value), and read with <see cref="ValueOr{T}"/>.
/// </remarks>
internal static class OptionValues
{
    /// <summary>An option taking one whole number between <paramref name="min"/> and <paramref name="max"/>, parsed as a 64-bit number so a huge value is "out of range", not an overflow.</summary>
    public static Option<int> WholeNumber(string name, string? alias, string description, int min, int max, string? unit = null)
    {
        var option = Create<int>(name, alias, description, "n");
        option.CustomParser = result => Single(result) is { } text && TryWholeNumber(result, name, text, min, max, unit, out var value) ? (int)value : 0;
        return option;
    }

    /// <summary>An option taking a finite decimal number more than <paramref name="above"/> and at most <paramref name="max"/>.</summary>
    public static Option<double> Number(string name, string description, double above, double max)
    {
        var option = Create<double>(name, null, description, "f");
        option.CustomParser = result =>
        {
            if (Single(result) is not { } text)
            {
                return 0;
            }

            var range = $"(more than {Show(above)}, at most {Show(max)})";
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                result.AddError($"{name}: {Quote(text)} is not a number {range}");
            }
            else if (value <= above || value > max)
            {
                result.AddError($"{name}: {Quote(text)} is out of range {range}");
            }

            return value;
        };
        return option;
    }

    /// <summary>An option taking one of <paramref name="values"/>, in any case (<c>SHA256</c>, <c>Blake3</c>); its value is the name as <paramref name="values"/> spells it.</summary>
    public static Option<string> Choice(string name, string? alias, string description, string helpName, params string[] values)
    {
        var option = Create<string>(name, alias, description, helpName);
        option.CompletionSources.Add(values);
        option.CustomParser = result =>
        {
            if (Single(result) is not { } text)
            {
                return null;
            }

            if (Canonical(text, values) is { } canonical)
            {
                return canonical;
            }

            result.AddError($"{name}: {Quote(text)} is not one of {string.Join(", ", values)}");
            return text;
        };
        return option;
    }

    /// <summary>
    /// An option taking one non-empty text; <paramref name="check"/> returns why a value is bad (the part after the
    /// quoted value), or <see langword="null"/> when it is good.
    /// </summary>
    public static Option<string?> Text(string name, string? alias, string description, string helpName, Func<string, string?>? check = null)
    {
        var option = Create<string?>(name, alias, description, helpName);
        option.CustomParser = result => Single(result) is { } text && Check(result, name, text, check) ? text : null;
        return option;
    }

    /// <summary>
    /// <c>--shard I/N</c> (0-based I) or <c>--shard auto/N</c>, I from the first scheduler variable set
    /// (<see cref="Pipeline.Sharding.Shard.IndexVariables"/>): resolved while parsing, so a bad value, or an <c>auto</c>
    /// with no index in the environment, exits 2 naming the option before anything is created.
    /// </summary>
    public static Option<Pipeline.Sharding.Shard?> Shard(string description)
    {
        const string name = "--shard";
        var option = Create<Pipeline.Sharding.Shard?>(name, null, description, "I/N|auto/N");
        option.CustomParser = result =>
        {
            if (Single(result) is not { } text)
            {
                return null;
            }

            var range = $"(1 to {Pipeline.Sharding.Shard.MaxCount})";
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                result.AddError($"{name}: {Quote(text)} is not I/N or auto/N (shard I of N, I from 0; auto takes I from {string.Join(", ", Pipeline.Sharding.Shard.IndexVariables)})");
                return null;
            }

            var (indexText, countText) = (text[..slash], text[(slash + 1)..]);
            if (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1 || count > Pipeline.Sharding.Shard.MaxCount)
            {
                result.AddError($"{name}: {Quote(text)} has no shard count N {range} after the '/'");
                return null;
            }

            if (string.Equals(indexText, "auto", StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    return Pipeline.Sharding.Shard.FromEnvironment(count);
                }
                catch (Pipeline.Running.PipelineOptionsException ex)
                {
                    result.AddError($"{name}: {Quote(text)}: {ex.Problems[0].Reason}");
                    return null;
                }
            }

            if (!int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= count)
            {
                result.AddError($"{name}: {Quote(text)} has no shard index I from 0 to {count - 1} (or auto) before the '/'");
                return null;
            }

            return new Pipeline.Sharding.Shard(index, count);
        };
        return option;
    }

    /// <summary>A repeatable option taking one or more non-empty texts, each checked as <see cref="Text"/> does.</summary>
    public static Option<string[]> Texts(string name, string? alias, string description, string helpName, Func<string, string?>? check = null)
    {
        var option = Create<string[]>(name, alias, description, helpName);
        option.Arity = ArgumentArity.OneOrMore;
        option.CustomParser = result =>
        {
            var texts = result.Tokens.Select(t => t.Value).ToArray();
            foreach (var text in texts)
            {
                if (!Check(result, name, text, check))
                {
                    break;
                }
            }

            return texts;
        };
        return option;
    }

    /// <summary>A positional argument taking one non-empty text.</summary>
    public static Argument<string> RequiredText(string name, string description)
    {
        var argument = new Argument<string>(name) { Description = description };
        argument.CustomParser = result => Single(result) is { } text && Check(result, $"<{name}>", text, PathProblem) ? text : string.Empty;
        return argument;
    }

    /// <summary>A positional argument taking one non-empty text, or nothing (then <see langword="null"/>).</summary>
    public static Argument<string?> OptionalText(string name, string description)
    {
        var argument = new Argument<string?>(name) { Description = description, Arity = ArgumentArity.ZeroOrOne };
        argument.CustomParser = result => result.Tokens.Count == 0 ? null : Single(result) is { } text && Check(result, $"<{name}>", text, PathProblem) ? text : string.Empty;
        return argument;
    }

    /// <summary>The name of <paramref name="values"/> that <paramref name="text"/> is in any case, as it is spelled there; <see langword="null"/> if none.</summary>
    public static string? Canonical(string text, IEnumerable<string> values) =>
        values.FirstOrDefault(v => string.Equals(v, text, StringComparison.OrdinalIgnoreCase));

    /// <summary>Why a file or folder name is refused (only blanks), or <see langword="null"/>; whether it exists is the command's business.</summary>
    public static string? PathProblem(string path) => string.IsNullOrWhiteSpace(path) ? "is blank, not a path" : null;

    /// <summary>The option's value when it was given, else <paramref name="fallback"/>.</summary>
    public static T ValueOr<T>(this ParseResult parse, Option<T> option, T fallback) =>
        parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option)! : fallback;

    /// <summary>Parses a whole number and checks its range, adding the error to <paramref name="result"/> if it is bad.</summary>
    public static bool TryWholeNumber(SymbolResult result, string name, string text, long min, long max, string? unit, out long value)
    {
        var suffix = unit is null ? string.Empty : " " + unit;
        var range = max == int.MaxValue && min >= 0 ? $"({min}{suffix} or more)" : $"({min} to {max}{suffix})";
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            var digits = text.TrimStart('-', '+');
            result.AddError(digits.Length > 0 && digits.All(char.IsAsciiDigit)
                ? $"{name}: {Quote(text)} is out of range {range}"
                : $"{name}: {Quote(text)} is not a whole number {range}");
            return false;
        }

        if (value < min || value > max)
        {
            result.AddError($"{name}: {Quote(text)} is out of range {range}");
            return false;
        }

        return true;
    }

    /// <summary>A value as an error line shows it: in single quotes, control characters escaped, so the error stays one line.</summary>
    public static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return text.Append('\'').ToString();
    }

    private static Option<T> Create<T>(string name, string? alias, string description, string helpName)
    {
        var option = alias is null ? new Option<T>(name) : new Option<T>(name, alias);
        option.Description = description;
        option.HelpName = helpName;
        return option;
    }

    /// <summary>The one token of a single-valued option; <see langword="null"/> when there is none (the parser reports the missing value itself).</summary>
    private static string? Single(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : null;

    private static bool Check(SymbolResult result, string name, string text, Func<string, string?>? check)
    {
        var problem = text.Length == 0 ? "is empty" : check?.Invoke(text);
        if (problem is not null)
        {
            result.AddError($"{name}: {Quote(text)} {problem}");
            return false;
        }

        return true;
    }

    private static string Show(double value) => value.ToString(CultureInfo.InvariantCulture);
}
