using Pipeline.Safety;

namespace Pipeline.IO;

/// <summary>
/// Where the tool puts its scratch folders: under the folder for temporary files (<c>TMPDIR</c>), which it never
/// creates. Making a scratch folder with <see cref="Directory.CreateDirectory(string)"/> would make every missing
/// folder above it too (a <c>TMPDIR</c> of <c>/nonexistent/tmp</c> made by a run as root), so a missing one is either
/// replaced by a folder of the run's own, or refused.
/// </summary>
/// <remarks>
/// Public because a program that makes scratch folders beside its runs (the command line's compare and bench, an
/// embedder's own) must not create a missing <c>TMPDIR</c> either, and should refuse it as the library does.
/// </remarks>
public static class TempFolder
{
    /// <summary>
    /// A new, not yet created path for a scratch folder: <paramref name="prefix"/> and 16 random hex digits, in the
    /// folder for temporary files (<see cref="Path.GetTempPath"/>). The caller creates it (its parent exists) and removes it.
    /// </summary>
    /// <param name="prefix">The start of the folder's name, such as <c>myapp-</c>; it must not hold a folder separator.</param>
    /// <returns>The path, in the folder <see cref="Path.GetTempPath"/> names.</returns>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> is null, empty or holds a folder separator.</exception>
    /// <exception cref="UnusablePathException">The folder for temporary files does not exist (<see cref="UnusablePathKind.TempFolderMissing"/>).</exception>
    public static string NewPath(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (prefix.AsSpan().IndexOfAny('/', Path.DirectorySeparatorChar) >= 0)
        {
            throw new ArgumentException("A prefix, not a path: it holds a folder separator.", nameof(prefix));
        }

        return NewPath(prefix, null);
    }

    /// <summary>
    /// A new, not yet created path for a scratch folder named <paramref name="prefix"/> and a random part: in the folder
    /// for temporary files, or, if that does not exist, in <paramref name="fallback"/> when that folder exists.
    /// </summary>
    /// <exception cref="UnusablePathException">The folder for temporary files does not exist, and there is no fallback.</exception>
    internal static string NewPath(string prefix, string? fallback)
    {
        var name = prefix + Guid.NewGuid().ToString("N")[..16];
        var temp = Path.GetTempPath();
        if (Directory.Exists(temp))
        {
            return Path.Join(temp, name);
        }

        return fallback is not null && Directory.Exists(fallback)
            ? Path.Join(fallback, name)
            : throw new UnusablePathException(Path.TrimEndingDirectorySeparator(temp), UnusablePathKind.TempFolderMissing, "the folder for temporary files (TMPDIR) does not exist; create it or point TMPDIR at one that does");
    }
}
