using Pipeline.IO;

namespace Pipeline.Unattended;

/// <summary>Removes the temporary files an earlier, crashed run left under an output folder: only ours, recognised by name.</summary>
internal static class TempFileSweeper
{
    /// <summary>Deletes every temporary file of ours (see <see cref="AtomicFileWriter.IsTempFileName"/>) under <paramref name="outputRoot"/>.</summary>
    /// <returns>How many were removed.</returns>
    public static int Sweep(string outputRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputRoot);
        if (!Directory.Exists(outputRoot))
        {
            return 0;
        }

        var removed = 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var path in Directory.EnumerateFiles(outputRoot, "*" + AtomicFileWriter.TempSuffix, options))
        {
            if (AtomicFileWriter.IsTempFileName(Path.GetFileName(path)))
            {
                File.Delete(path);
                removed++;
            }
        }

        return removed;
    }
}
