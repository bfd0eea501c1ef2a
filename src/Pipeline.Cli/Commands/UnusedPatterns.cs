using Microsoft.Extensions.FileSystemGlobbing;
using Pipeline.Sources;

namespace Pipeline.Cli.Commands;

/// <summary>
/// The user's own patterns that did nothing, each worth a warning (a case typo, say: globs are case-sensitive): an
/// <c>--include</c> that took no file while others did, an <c>--exclude</c> that matches no file of the tree. The
/// selection as a whole taking nothing is <see cref="JobOptions.NoMatchWarning"/>'s warning.
/// </summary>
internal sealed class UnusedPatterns
{
    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private readonly FileSelection _selection;
    private readonly List<(string Pattern, Matcher Matcher)> _includesNotSeen;
    private bool _sawAny;

    private UnusedPatterns(FileSelection selection, IReadOnlyList<string> includes)
    {
        _selection = selection;
        _includesNotSeen = includes.Count < 2 ? [] : [.. includes.Distinct(StringComparer.Ordinal).Select(p => (p, Single(p)))];
    }

    /// <summary>The tracker for <paramref name="selection"/>, or <see langword="null"/> when the user gave no pattern.</summary>
    public static UnusedPatterns? For(IReadOnlyList<string> userIncludes, FileSelection selection) =>
        userIncludes.Count == 0 && selection.Exclude.Count == 0 ? null : new UnusedPatterns(selection, userIncludes);

    /// <summary>A file the selection took (whatever became of it).</summary>
    public void Saw(string relativePath)
    {
        _sawAny = true;
        if (_includesNotSeen.Count > 0)
        {
            _includesNotSeen.RemoveAll(p => p.Matcher.Match(relativePath).HasMatches);
        }
    }

    /// <summary>
    /// One warning per pattern that did nothing, once the selection took at least one file (when it took none, the
    /// selection's own warning names every pattern). An <c>--exclude</c> is looked for in the tree, walking only the
    /// folders it can reach, and only until its first match.
    /// </summary>
    public IEnumerable<string> Warnings(CancellationToken cancellationToken)
    {
        if (!_sawAny)
        {
            yield break;
        }

        foreach (var (pattern, _) in _includesNotSeen)
        {
            yield return $"warning: --include {OptionValues.Quote(pattern)} takes no file under {_selection.InputRoot} (globs are case-sensitive)";
        }

        foreach (var pattern in _selection.Exclude.Distinct(StringComparer.Ordinal))
        {
            var alone = new FileSelection(_selection.InputRoot) { Include = [pattern], FollowSymlinks = _selection.FollowSymlinks };
            if (!GlobFileSource.Enumerate(alone, null, cancellationToken).Any())
            {
                yield return $"warning: --exclude {OptionValues.Quote(pattern)} matches no file under {_selection.InputRoot}, so it left nothing out (globs are case-sensitive)";
            }
        }
    }

    private static Matcher Single(string pattern)
    {
        var matcher = new Matcher(PathComparison);
        matcher.AddInclude(pattern);
        return matcher;
    }
}
