using System.CommandLine;
using Pipeline.Cli.Transforms;

namespace Pipeline.Cli.Commands;

/// <summary>
/// One line for a command or transform name the parser does not know (<c>pipeline run hahs</c>, <c>pipeline rn</c>):
/// the nearest known name when it is close (an edit distance of 1, or 2 for longer names), instead of the parser's
/// lines about unrecognized arguments.
/// </summary>
internal static class CommandSuggestions
{
    /// <summary>The line for the unknown name where a command or transform name was expected, or <see langword="null"/> when the parse failed otherwise.</summary>
    public static string? For(ParseResult parse, IReadOnlyList<TransformSpec> transforms)
    {
        var command = parse.CommandResult.Command;
        if (parse.UnmatchedTokens.Count > 0 && parse.UnmatchedTokens[0] is { Length: > 2 } flag && flag.StartsWith("--", StringComparison.Ordinal))
        {
            // A mistyped option (--algoritm): the nearest of the command's own, if one is close.
            var typed = flag.Split('=')[0];
            var known = OptionsOf(parse).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal)).Distinct().Select(n => (n, n));
            return Nearest(typed, known) is { } option ? $"unknown option {OptionValues.Quote(typed)}: did you mean '{option}'?" : null;
        }

        if (command.Subcommands.Count == 0 || parse.UnmatchedTokens.Count == 0 || parse.UnmatchedTokens[0] is not { Length: > 0 } word || word.StartsWith('-'))
        {
            return null;
        }

        var path = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            path.Insert(0, result.Parent is null ? "pipeline" : result.Command.Name);
        }

        var prefix = string.Join(' ', path);
        if (command is RootCommand)
        {
            // A command first; a transform named where a command goes is one 'run' away.
            var candidates = command.Subcommands.Select(c => (c.Name, Shown: $"pipeline {c.Name}"))
                .Concat(transforms.Select(t => (t.Name, Shown: $"pipeline run {t.Name}")));
            return Nearest(word, candidates) is { } near
                ? $"unknown command {OptionValues.Quote(word)}: did you mean '{near}'?"
                : $"unknown command {OptionValues.Quote(word)}: choose from {string.Join(", ", command.Subcommands.Select(c => c.Name))} (see 'pipeline --help')";
        }

        var names = command.Subcommands.Select(c => (c.Name, Shown: c.Name)).ToList();
        return Nearest(word, names) is { } nearest
            ? $"unknown transform {OptionValues.Quote(word)}: did you mean '{nearest}'?"
            : $"unknown transform {OptionValues.Quote(word)}: choose from {string.Join(", ", names.Select(n => n.Name))} (see '{prefix} --help')";
    }

    /// <summary>The options that apply where the parse stopped: the command's own and those its parents pass down.</summary>
    private static IEnumerable<Option> OptionsOf(ParseResult parse)
    {
        var own = true;
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult, own = false)
        {
            foreach (var option in result.Command.Options.Where(o => own || o.Recursive))
            {
                yield return option;
            }
        }
    }

    /// <summary>The shown form of the candidate nearest to <paramref name="word"/>, if close enough to be what was meant; the first of equals.</summary>
    internal static string? Nearest(string word, IEnumerable<(string Name, string Shown)> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var (name, shown) in candidates)
        {
            var distance = Distance(word.ToLowerInvariant(), name.ToLowerInvariant());
            var close = distance <= (name.Length <= 4 ? 1 : 2) && distance < name.Length;
            if (close && distance < bestDistance)
            {
                (best, bestDistance) = (shown, distance);
            }
        }

        return best;
    }

    /// <summary>Edits (insert, delete, replace, swap two neighbours) from <paramref name="a"/> to <paramref name="b"/>: the optimal string alignment distance.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1][];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i] = new int[b.Length + 1];
            d[i][0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0][j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i][j] = Math.Min(Math.Min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i][j] = Math.Min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }

        return d[a.Length][b.Length];
    }
}
