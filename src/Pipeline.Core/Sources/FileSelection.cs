namespace Pipeline.Sources;

/// <summary>Which files under an input root a run takes.</summary>
public sealed record FileSelection
{
    /// <summary>The default include pattern: every file.</summary>
    public const string AllFiles = "**/*";

    /// <summary>Creates a selection of every file under <paramref name="inputRoot"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="inputRoot"/> is empty.</exception>
    public FileSelection(string inputRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(inputRoot);
        InputRoot = Safety.PhysicalPath.Resolve(inputRoot);
    }

    /// <summary>The folder walked; always absolute. A path with <c>..</c> is resolved as the kernel reads it (<c>..</c> after a link leads to the parent of its target).</summary>
    public string InputRoot { get; }

    /// <summary>Glob patterns (FileSystemGlobbing syntax, relative to <see cref="InputRoot"/>) a file must match. Default: <c>**/*</c>.</summary>
    public IReadOnlyList<string> Include { get; init; } = [AllFiles];

    /// <summary>Glob patterns that remove files the includes matched. Default: none.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Whether symbolic links to files and folders are followed. Default: <see langword="false"/> (links are skipped).</summary>
    public bool FollowSymlinks { get; init; }

    /// <summary>Absolute folders never read as input, such as the output folder of the same run. Default: none.</summary>
    public IReadOnlyList<string> ExcludedDirectories { get; init; } = [];

    /// <summary>
    /// Absolute files never read as input, such as the run's own report or log when they lie inside the input folder.
    /// Compared as the files they are (device and inode), not as text. Default: none.
    /// </summary>
    public IReadOnlyList<string> ExcludedFiles { get; init; } = [];
}
