namespace Pipeline.Sources;

/// <summary>Which files under an input root a run takes. A run copies it when it starts (with its options).</summary>
public sealed class FileSelection
{
    private IReadOnlyList<string> _include = [AllFiles];
    private IReadOnlyList<string> _exclude = [];
    private IReadOnlyList<string> _excludedDirectories = [];
    private IReadOnlyList<string> _excludedFiles = [];

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
    /// <exception cref="ArgumentNullException">Set to null.</exception>
    public IReadOnlyList<string> Include
    {
        get => _include;
        set => _include = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Glob patterns that remove files the includes matched. Default: none.</summary>
    /// <exception cref="ArgumentNullException">Set to null.</exception>
    public IReadOnlyList<string> Exclude
    {
        get => _exclude;
        set => _exclude = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Whether symbolic links to files and folders are followed. Default: <see langword="false"/> (links are skipped).</summary>
    public bool FollowSymlinks { get; set; }

    /// <summary>Absolute folders never read as input, such as the output folder of the same run. Default: none.</summary>
    /// <exception cref="ArgumentNullException">Set to null.</exception>
    public IReadOnlyList<string> ExcludedDirectories
    {
        get => _excludedDirectories;
        set => _excludedDirectories = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>
    /// Absolute files never read as input, such as the run's own report or log when they lie inside the input folder.
    /// Compared as the files they are (device and inode), not as text. Default: none.
    /// </summary>
    /// <exception cref="ArgumentNullException">Set to null.</exception>
    public IReadOnlyList<string> ExcludedFiles
    {
        get => _excludedFiles;
        set => _excludedFiles = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>A copy, lists and all, taken when a run starts, so that later changes never reach it.</summary>
    internal FileSelection Clone()
    {
        var copy = (FileSelection)MemberwiseClone();
        copy._include = [.. _include];
        copy._exclude = [.. _exclude];
        copy._excludedDirectories = [.. _excludedDirectories];
        copy._excludedFiles = [.. _excludedFiles];
        return copy;
    }
}
