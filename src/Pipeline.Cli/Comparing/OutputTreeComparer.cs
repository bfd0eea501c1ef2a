namespace Pipeline.Cli.Comparing;

/// <summary>Compares two folders file by file, byte by byte.</summary>
internal static class OutputTreeComparer
{
    /// <summary>
    /// The folder a run keeps its own state in, inside its output folder (journal, lock, shard records): not an output,
    /// so not compared. Its name is part of the tool's documented layout on disk (docs/scheduled-runs.md), which is why
    /// the command names it too instead of reaching into the library's journal for it.
    /// </summary>
    private const string StateFolder = ".pipeline";

    /// <summary>Finds the first difference between two trees.</summary>
    /// <returns><see langword="null"/> when both hold the same relative paths with the same bytes; otherwise one line saying what differs.</returns>
    public static string? FindDifference(string left, string right)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(left);
        ArgumentException.ThrowIfNullOrWhiteSpace(right);
        var leftFiles = List(left);
        var rightFiles = List(right);
        var onlyLeft = leftFiles.Except(rightFiles, StringComparer.Ordinal).FirstOrDefault();
        if (onlyLeft is not null)
        {
            return $"{onlyLeft}: only in {left}";
        }

        var onlyRight = rightFiles.Except(leftFiles, StringComparer.Ordinal).FirstOrDefault();
        if (onlyRight is not null)
        {
            return $"{onlyRight}: only in {right}";
        }

        foreach (var relative in leftFiles)
        {
            if (!SameBytes(Path.Join(left, relative), Path.Join(right, relative)))
            {
                return $"{relative}: contents differ";
            }
        }

        return null;
    }

    private static List<string> List(string root) =>
        Directory.Exists(root)
            ? [.. Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
                .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
                .Where(f => !f.StartsWith(StateFolder + "/", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)]
            : [];

    private static bool SameBytes(string a, string b)
    {
        using var left = File.OpenRead(a);
        using var right = File.OpenRead(b);
        if (left.Length != right.Length)
        {
            return false;
        }

        var x = new byte[81920];
        var y = new byte[81920];
        int n;
        while ((n = left.ReadAtLeast(x, x.Length, throwOnEndOfStream: false)) > 0)
        {
            if (right.ReadAtLeast(y, n, throwOnEndOfStream: false) != n || !x.AsSpan(0, n).SequenceEqual(y.AsSpan(0, n)))
            {
                return false;
            }
        }

        return true;
    }
}
