namespace Pipeline.Verifying;

/// <summary>One valid line of a manifest: the path (unescaped) and its digest.</summary>
internal readonly record struct ManifestEntry(string Path, byte[] Digest, long Line);
