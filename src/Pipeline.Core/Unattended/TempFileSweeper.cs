using Microsoft.Win32.SafeHandles;
using Pipeline.IO;
using Pipeline.Safety;

namespace Pipeline.Unattended;

/// <summary>
/// Removes the temporary files an earlier, crashed run left under an output folder: only ours, recognised by name, and
/// never another live run's. A folder below the output root may be another run's output root (its lock in its own
/// <c>.pipeline</c>): while a process holds that lock, the folder and everything under it is left alone; a lock nobody
/// holds was a run that died, and its leftovers are swept. No link is followed: each folder is opened relative to its
/// parent without following one, and files are removed relative to the folder they were found in.
/// </summary>
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

        if (!OperatingSystem.IsLinux())
        {
            return SweepByPath(outputRoot);
        }

        // The root itself may be a link the user chose: it is opened as given; nothing below it is followed.
        using var root = RegularFile.OpenFolder(outputRoot);
        return root is null ? 0 : SweepFolder(root, outputRoot, isRoot: true);
    }

    private static int SweepFolder(SafeFileHandle folder, string path, bool isRoot)
    {
        // The root's lock is this run's own; a folder below holding a live lock is another run's output.
        if (!isRoot && HeldByAnotherRun(folder))
        {
            return 0;
        }

        IEnumerable<string> names;
        try
        {
            // The names are listed through the path; what is done with them goes through the handles, so a folder
            // swapped for a link since it was opened lists names that can only be acted on in the folder opened.
            names = [.. Directory.EnumerateFileSystemEntries(path).Select(Path.GetFileName)!];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }

        var removed = 0;
        foreach (var name in names)
        {
            if (!FileNode.TryGetEntry(folder, name, out var node))
            {
                continue;
            }

            if (node.Kind == FileNodeKind.Directory)
            {
                using var child = StateFile.OpenFolderAt(folder, name);
                if (child is not null)
                {
                    removed += SweepFolder(child, Path.Join(path, name), isRoot: false);
                }
            }
            else if (node.Kind == FileNodeKind.Regular && AtomicFileWriter.IsTempFileName(name) && StateFile.RemoveAt(folder, name))
            {
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Whether the folder holds a <c>.pipeline/lock</c> that a process holds now (a probe: never waited for, released at once).</summary>
    private static bool HeldByAnotherRun(SafeFileHandle folder)
    {
        using var state = StateFile.OpenFolderAt(folder, RunJournal.FolderName);
        return state is not null && StateFile.IsLockedAt(state, OutputFolderLock.FileName);
    }

    /// <summary>Where folders cannot be opened relative to each other: by path, links skipped, and no probe of locks (a share lock cannot be probed without taking it).</summary>
    private static int SweepByPath(string outputRoot)
    {
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
