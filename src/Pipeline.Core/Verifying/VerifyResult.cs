namespace Pipeline.Verifying;

/// <summary>The verdict on one path.</summary>
/// <param name="RelativePath">Path under the root, with <c>/</c> separators, unescaped (as on disk).</param>
/// <param name="Status">The verdict.</param>
/// <param name="Expected">The manifest's digest; <see langword="null"/> for <see cref="VerifyStatus.New"/> (and for <see cref="VerifyStatus.Moved"/>, see <see cref="MovedFrom"/>).</param>
/// <param name="Actual">The file's digest; <see langword="null"/> when it was not read (missing, unreadable).</param>
/// <param name="Bytes">Bytes read from the file; 0 when it was not read.</param>
/// <param name="Error">Why the file could not be read; <see langword="null"/> unless it could not.</param>
/// <param name="MovedFrom">For <see cref="VerifyStatus.Moved"/>, the listed path whose digest this file has; otherwise <see langword="null"/>.</param>
public sealed record VerifyResult(
    string RelativePath,
    VerifyStatus Status,
    ReadOnlyMemory<byte>? Expected,
    ReadOnlyMemory<byte>? Actual,
    long Bytes,
    string? Error = null,
    string? MovedFrom = null);
