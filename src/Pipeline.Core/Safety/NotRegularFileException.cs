namespace Pipeline.Safety;

/// <summary>An input that is a named pipe, a socket, a device or a folder: never opened for reading.</summary>
internal sealed class NotRegularFileException(FileNodeKind kind, bool behindLink = false)
    : IOException($"not a regular file ({FileNode.Describe(kind)}{(behindLink ? ", behind a symbolic link" : string.Empty)})")
{
    public FileNodeKind Kind { get; } = kind;
}
