namespace Pipeline.Safety;

/// <summary>
/// Compares an output folder with an input folder as the folders they are: every symbolic link resolved by the
/// kernel, and device + inode compared, so a link, a chain of links, <c>..</c> through a link or a bind mount that
/// makes two paths one folder is seen for what it is. Text comparison is only the fallback where identities are unknown.
/// </summary>
internal static class FolderIdentity
{
    /// <summary>Why <paramref name="output"/> cannot be the output folder of a run over <paramref name="input"/>, or <see langword="null"/>.</summary>
    /// <remarks>An output folder inside the input folder is allowed: a run never walks its own output folder.</remarks>
    public static string? Relate(string output, string input)
    {
        output = Path.TrimEndingDirectorySeparator(Path.GetFullPath(output));
        input = Path.TrimEndingDirectorySeparator(Path.GetFullPath(input));
        if (FileNode.Available && FileNode.Find(input) is { } inputNode)
        {
            // A folder that does not exist yet can be neither the input folder nor one of its ancestors.
            if (FileNode.Find(output) is not { } outputNode)
            {
                return null;
            }

            if (outputNode.IsSameNode(inputNode))
            {
                return $"output folder must differ from the input folder: {output} is the same folder as {input}{Through(output, input)}";
            }

            // Up from the input, as the kernel resolves "..": is the output folder one of its real ancestors?
            return FileNode.Ancestry(input).Skip(1).Any(n => n.IsSameNode(outputNode))
                ? $"output folder must not contain the input folder: {output} contains {input}{Through(output, input)}"
                : null;
        }

        if (string.Equals(output, input, StringComparison.Ordinal))
        {
            return $"output folder must differ from the input folder: {output}";
        }

        return input.StartsWith(output + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? $"output folder must not contain the input folder: {output}"
            : null;
    }

    private static string Through(string output, string input) =>
        string.Equals(output, input, StringComparison.Ordinal) ? string.Empty : " (on disk, through a link or a mount)";
}
