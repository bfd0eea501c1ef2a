namespace Pipeline.Safety;

/// <summary>An input that is a named pipe, a socket, a device or a folder: never opened for reading.</summary>
internal sealed class NotRegularFileException(FileNodeKind kind)
    : IOException($"not a regular file ({FileNode.Describe(kind)})")
{
    public FileNodeKind Kind { get; } = kind;
}
