using System.Collections.Concurrent;
using System.Text;

namespace Pipeline.Safety;

/// <summary>
/// The writer's last line of defence: before an output is written, its folder is followed up to the root of the file
/// system, as the kernel resolves it (every link, every bind mount). A folder inside the input folder and not inside
/// the output folder holds inputs: nothing is written there, so no input is ever replaced, and no output lands where
/// the walk would take it as input. An output path that leaves the output folder, or a name longer than a file system
/// allows, is refused too. Each folder's verdict is worked out once.
/// </summary>
internal sealed class OutputGuard
{
    /// <summary>Most file systems (ext4, xfs, tmpfs, NTFS in UTF-16 units) allow 255 bytes per name.</summary>
    internal const int MaxNameBytes = 255;

    private const int MaxCachedFolders = 4096;

    private readonly string _inputRoot;
    private readonly string _outputRoot;
    private readonly FileNode? _input;
    private readonly ConcurrentDictionary<string, string?> _verdicts = new(StringComparer.Ordinal);
    private FileNode? _output;

    public OutputGuard(string inputRoot, string outputRoot)
    {
        _inputRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(inputRoot));
        _outputRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputRoot));
        _input = FileNode.Find(_inputRoot);
        _output = FileNode.Find(_outputRoot);
    }

    /// <summary>Throws if <paramref name="targetPath"/> (absolute) must not be written; otherwise returns.</summary>
    /// <exception cref="IOException">Why the output is refused.</exception>
    public void Check(string targetPath)
    {
        var full = Path.GetFullPath(targetPath);
        if (!full.StartsWith(_outputRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new OutputRefusedException($"its output path leaves the output folder: {full}");
        }

        var name = Path.GetFileName(full);
        var bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxNameBytes)
        {
            throw new PathTooLongException($"output name too long: {bytes} bytes, and file systems allow {MaxNameBytes} per name") { HResult = IO.FileErrors.NameTooLongErrno };
        }

        var folder = Path.GetDirectoryName(full)!;
        if (!_verdicts.TryGetValue(folder, out var refusal))
        {
            if (_verdicts.Count >= MaxCachedFolders)
            {
                _verdicts.Clear();
            }

            refusal = Judge(folder);
            _verdicts[folder] = refusal;
        }

        if (refusal is not null)
        {
            throw new OutputRefusedException(refusal);
        }
    }

    /// <summary>Why nothing may be written into <paramref name="folder"/>, or <see langword="null"/> if it may.</summary>
    private string? Judge(string folder)
    {
        if (!FileNode.Available || _input is not { } input)
        {
            return null; // the options' path checks are all there is here
        }

        // A run makes the output folder when it starts; a block built on its own (DataflowRunner.CreateBlock) makes it
        // here, at its first write. Either way its identity is known before any folder is judged: without it, an
        // output folder inside the input folder would look like the input itself, and every output would be refused.
        if (_output is null)
        {
            Directory.CreateDirectory(_outputRoot);
            _output = FileNode.Find(_outputRoot);
        }

        // A folder not made yet will be made under its nearest existing ancestor: judge that one.
        var existing = folder;
        while (FileNode.Find(existing) is null)
        {
            var parent = Path.GetDirectoryName(existing);
            if (parent is null)
            {
                return null;
            }

            existing = parent;
        }

        // Up the real parents: the output folder first means inside it (allowed); the input folder first means inside the input.
        foreach (var node in FileNode.Ancestry(existing))
        {
            if (_output is { } output && node.IsSameNode(output))
            {
                return null;
            }

            if (node.IsSameNode(input))
            {
                return $"refusing to write into the input folder: {folder} leads into it (through a link or a mount), where an output would replace an input or be read back as one";
            }
        }

        return null;
    }

}
