namespace Pipeline.Safety;

/// <summary>A file whose name is not valid UTF-8: .NET cannot carry its bytes, so it cannot be opened by name.</summary>
internal sealed class UnusableNameException() : IOException(FileNames.NotUtf8Reason);
