using Pipeline.Safety;

namespace Pipeline.IO;

/// <summary>
/// Where the tool puts its scratch folders: under the folder for temporary files (<c>TMPDIR</c>), which it never
/// creates. Making a scratch folder with <see cref="Directory.CreateDirectory(string)"/> would make every missing
/// folder above it too (a <c>TMPDIR</c> of <c>/nonexistent/tmp</c> made by a run as root), so a missing one is either
/// replaced by a folder of the run's own, or refused.
/// </summary>
internal static class TempFolder
{
    /// <summary>
    /// A new, not yet created path for a scratch folder named <paramref name="prefix"/> and a random part: in the folder
    /// for temporary files, or, if that does not exist, in <paramref name="fallback"/> when that folder exists.
    /// </summary>
    /// <exception cref="UnusablePathException">The folder for temporary files does not exist, and there is no fallback.</exception>
    public static string NewPath(string prefix, string? fallback = null)
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
