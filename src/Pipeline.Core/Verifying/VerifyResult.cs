namespace Pipeline.Verifying;

/// <summary>The verdict on one path.</summary>
/// <param name="RelativePath">Path under the root, with <c>/</c> separators, unescaped (as on disk).</param>
/// <param name="Status">The verdict.</param>
/// <param name="Expected">The manifest's digest; <see langword="null"/> for <see cref="VerifyStatus.New"/> (and for <see cref="VerifyStatus.Moved"/>, see <see cref="MovedFrom"/>).</param>
/// <param name="Actual">The file's digest; <see langword="null"/> when it was not read (missing, unreadable).</param>
/// <param name="Bytes">Bytes read from the file; 0 when it was not read.</param>
/// <param name="Error">Why the file could not be read; <see langword="null"/> unless it could not.</param>
/// <param name="MovedFrom">For <see cref="VerifyStatus.Moved"/>, the listed path whose digest this file has; otherwise <see langword="null"/>.</param>
/// <remarks>A class, not a record: a verdict is read as it comes, and value equality would only be public surface.</remarks>
public sealed class VerifyResult(
    string RelativePath,
    VerifyStatus Status,
    ReadOnlyMemory<byte>? Expected,
    ReadOnlyMemory<byte>? Actual,
    long Bytes,
    string? Error = null,
    string? MovedFrom = null)
{
    /// <summary>Path under the root, with <c>/</c> separators, unescaped (as on disk).</summary>
    public string RelativePath { get; } = RelativePath;

    /// <summary>The verdict.</summary>
    public VerifyStatus Status { get; } = Status;

    /// <summary>The manifest's digest; <see langword="null"/> for <see cref="VerifyStatus.New"/>.</summary>
    public ReadOnlyMemory<byte>? Expected { get; } = Expected;

    /// <summary>The file's digest; <see langword="null"/> when it was not read (missing, unreadable).</summary>
    public ReadOnlyMemory<byte>? Actual { get; } = Actual;

    /// <summary>Bytes read from the file; 0 when it was not read.</summary>
    public long Bytes { get; } = Bytes;

    /// <summary>Why the file could not be read; <see langword="null"/> unless it could not.</summary>
    public string? Error { get; } = Error;

    /// <summary>For <see cref="VerifyStatus.Moved"/>, the listed path whose digest this file has; otherwise <see langword="null"/>.</summary>
    public string? MovedFrom { get; } = MovedFrom;
}
