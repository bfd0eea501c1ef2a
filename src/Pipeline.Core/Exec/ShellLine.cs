using System.Text;

namespace Pipeline.Exec;

/// <summary>
/// Placeholders put into a <c>/bin/sh</c> command line so that the shell reads each value back as exactly its text,
/// whatever quoting the line puts around it. A value is never pasted in bare: outside quotes it becomes one
/// single-quoted word; inside the line's own double quotes (<c>"{}"</c>) its <c>$ ` " \</c> are escaped; inside its
/// single quotes (<c>'{}'</c>) each <c>'</c> in it is closed, escaped and reopened; inside backquotes it is escaped for
/// the extra pass the shell makes there. So <c>cat "{}"</c>, <c>cat '{}'</c> and <c>cat {}</c> all read a file named
/// <c>$(touch x)</c> and run nothing. (GNU parallel quotes values for the bare case only.)
/// </summary>
internal static class ShellLine
{
    private enum Context
    {
        Plain,
        Double,
        Substitution,
        Backquote,
    }

    /// <summary>
    /// <paramref name="line"/> with each of <paramref name="placeholders"/> (longest match at a <c>{</c>) replaced by
    /// <paramref name="valueOf"/>'s value for it, written as the context it stands in requires; <paramref name="valueOf"/>
    /// is also told whether the placeholder begins a word (so that a name starting with <c>-</c> can be made <c>./-name</c>).
    /// </summary>
    public static string Substitute(string line, IReadOnlyList<string> placeholders, Func<string, bool, string> valueOf)
    {
        var result = new StringBuilder(line.Length + 64);
        var stack = new Stack<(Context Kind, int Depth)>();
        stack.Push((Context.Plain, 0));
        var single = false;
        for (var i = 0; i < line.Length;)
        {
            var c = line[i];
            var placeholder = c == '{' ? placeholders.Where(p => string.CompareOrdinal(line, i, p, 0, p.Length) == 0).OrderByDescending(p => p.Length).FirstOrDefault() : null;
            if (placeholder is not null)
            {
                var value = valueOf(placeholder, StartsWord(line, i));
                var context = stack.Peek().Kind;
                result.Append(single ? InSingleQuotes(value) : context switch
                {
                    Context.Double => InDoubleQuotes(value),
                    Context.Backquote => InBackquotes(ExecTransform.ShellQuote(value)),
                    _ => ExecTransform.ShellQuote(value),
                });
                i += placeholder.Length;
                continue;
            }

            var next = i + 1 < line.Length ? line[i + 1] : '\0';
            var (kind, depth) = stack.Peek();
            if (single)
            {
                single = c != '\'';
            }
            else if (c == '\\' && i + 1 < line.Length)
            {
                result.Append(c).Append(next);
                i += 2;
                continue;
            }
            else if (c == '$' && next == '(')
            {
                stack.Push((Context.Substitution, 0));
                result.Append("$(");
                i += 2;
                continue;
            }
            else if (kind == Context.Double)
            {
                if (c == '"')
                {
                    stack.Pop();
                }
                else if (c == '`')
                {
                    stack.Push((Context.Backquote, 0));
                }
            }
            else if (c == '\'')
            {
                single = true;
            }
            else if (c == '"')
            {
                stack.Push((Context.Double, 0));
            }
            else if (c == '`')
            {
                if (kind == Context.Backquote)
                {
                    stack.Pop();
                }
                else
                {
                    stack.Push((Context.Backquote, 0));
                }
            }
            else if (kind == Context.Substitution && c is '(' or ')')
            {
                stack.Pop();
                if (c == '(' || depth > 0)
                {
                    stack.Push((Context.Substitution, c == '(' ? depth + 1 : depth - 1));
                }
            }

            if (stack.Count == 0)
            {
                stack.Push((Context.Plain, 0)); // an unbalanced closer: the shell will say so; we stay safe
            }

            result.Append(c);
            i++;
        }

        return result.ToString();
    }

    /// <summary>Whether the text at <paramref name="index"/> begins a word: after a blank or an operator, an opening quote allowed between.</summary>
    private static bool StartsWord(string line, int index)
    {
        var before = index - 1;
        if (before >= 0 && line[before] is '"' or '\'')
        {
            before--;
        }

        return before < 0 || char.IsWhiteSpace(line[before]) || line[before] is ';' or '|' or '&' or '(' or '`' or '<' or '>';
    }

    private static string InSingleQuotes(string value) => value.Replace("'", "'\\''", StringComparison.Ordinal);

    private static string InDoubleQuotes(string value)
    {
        var text = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is '$' or '`' or '"' or '\\')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        return text.ToString();
    }

    // Inside backquotes the shell first takes \\, \` and \$ as the characters themselves, then reads the command.
    private static string InBackquotes(string quoted) =>
        quoted.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("`", "\\`", StringComparison.Ordinal).Replace("$", "\\$", StringComparison.Ordinal);
}
