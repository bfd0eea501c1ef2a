namespace Pipeline.Sources;

/// <summary>
/// Tells the walk which folders can hold a file an include pattern takes, so it never descends into one that cannot:
/// with <c>-i etc/hostname</c> over <c>/</c>, nothing under <c>/proc</c> is listed, and its errors are not the run's.
/// A folder path is matched against each pattern's leading segments: a literal segment must be equal, a segment with
/// <c>*</c> matches one name as the globbing library does, and <c>**</c> matches any number of folders. Anything this
/// cannot judge (a pattern it does not understand) counts as "may hold matches": pruning only ever saves work.
/// </summary>
internal sealed class IncludePrefixes
{
    private readonly List<string[]> _patterns = [];
    private readonly StringComparison _comparison;
    private readonly bool _everything;

    public IncludePrefixes(IEnumerable<string> includes, StringComparison comparison)
    {
        _comparison = comparison;
        foreach (var include in includes)
        {
            var pattern = include.Replace('\\', '/');
            while (pattern.StartsWith("./", StringComparison.Ordinal))
            {
                pattern = pattern[2..];
            }

            pattern = pattern.TrimStart('/');
            if (pattern.Length == 0 || pattern.Contains("..", StringComparison.Ordinal))
            {
                _everything = true; // not a pattern to judge: walk everything, as before
                continue;
            }

            _patterns.Add(pattern.Split('/', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    /// <summary>Whether a file at or below the folder <paramref name="relativeFolder"/> (<c>/</c>-separated, from the input root) may be taken.</summary>
    public bool CouldHoldMatches(string relativeFolder)
    {
        if (_everything)
        {
            return true;
        }

        var folder = relativeFolder.Split('/');
        foreach (var pattern in _patterns)
        {
            if (Matches(pattern, 0, folder, 0))
            {
                return true;
            }
        }

        return false;
    }

    private bool Matches(string[] pattern, int p, string[] folder, int f)
    {
        if (f == folder.Length)
        {
            return p < pattern.Length; // a file needs at least one more segment: its name (or **)
        }

        if (p == pattern.Length)
        {
            return false;
        }

        if (pattern[p] == "**")
        {
            return Matches(pattern, p + 1, folder, f) || Matches(pattern, p, folder, f + 1);
        }

        // The last segment names files, not folders; a folder segment must match one name.
        return p < pattern.Length - 1 && SegmentMatches(pattern[p], folder[f]) && Matches(pattern, p + 1, folder, f + 1);
    }

    private bool SegmentMatches(string segment, string name)
    {
        if (segment.IndexOfAny(['?', '[', '{']) >= 0)
        {
            return true; // not a wildcard the globbing library has: cannot judge
        }

        var parts = segment.Split('*');
        if (parts.Length == 1)
        {
            return string.Equals(segment, name, _comparison);
        }

        if (!name.StartsWith(parts[0], _comparison) || !name.EndsWith(parts[^1], _comparison) || name.Length < parts[0].Length + parts[^1].Length)
        {
            return false;
        }

        var at = parts[0].Length;
        var end = name.Length - parts[^1].Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var found = name.IndexOf(parts[i], at, end - at, _comparison);
            if (found < 0)
            {
                return false;
            }

            at = found + parts[i].Length;
        }

        return true;
    }
}
