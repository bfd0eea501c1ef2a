using Microsoft.Win32.SafeHandles;
using Pipeline.Safety;

namespace Pipeline.IO;

/// <summary>
/// Writes a file so that readers only ever see the old file or the complete new one: the bytes go to
/// <c>.&lt;random&gt;.pipeline.tmp</c> in the target's folder, which is flushed and then renamed over the target.
/// Disposing before <see cref="CommitAsync"/> or <see cref="Commit"/> deletes the temporary file.
/// </summary>
/// <remarks>
/// Public because an embedder writes files of its own beside a run's outputs (a report, a joined output, a log of
/// its own) with the same guarantee, as the command line does (verify's report, exec's <c>--concat</c>); the run's
/// own uses (owners, lent paths and handles) stay internal.
/// </remarks>
public sealed class AtomicFileWriter : IAsyncDisposable, IDisposable
{
    /// <summary>The suffix every temporary file ends with; a leftover one is recognisable by it.</summary>
    internal const string TempSuffix = ".pipeline.tmp";

    private readonly FileStream _stream;
    private bool _committed;
    private bool _writtenByPath;


    private AtomicFileWriter(string targetPath, bool asynchronous, OutputAccess? access)
    {
        TargetPath = Path.GetFullPath(targetPath);
        TempPath = TempPathFor(TargetPath);
        Access = access;

        // bufferSize 0: callers write large chunks, and a second copy through a stream buffer buys nothing. An output
        // with an access of its own is created with it (or private, 0600, when it is known only at commit: see
        // OutputAccess.CreateMode), so it is never, not even while it is written, more readable than its input.
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0,
            Options = asynchronous ? FileOptions.Asynchronous : FileOptions.None,
        };
        if (access is not null && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = _createdWith = access.Value.CreateMode;
        }

        try
        {
            _stream = new FileStream(TempPath, options);
        }
        catch (IOException ex) when (ex is DirectoryNotFoundException or FileNotFoundException)
        {
            // (Making the folder is idempotent: another writer may have made it in between, which is fine.)
            // Only the first output in a folder pays for making it; a tree of small outputs would otherwise
            // spend one system call per file on a mkdir that fails.
            Directory.CreateDirectory(Path.GetDirectoryName(TargetPath)!);
            _stream = new FileStream(TempPath, options);
        }
    }

    /// <summary>
    /// The permissions (and owner) the output gets at commit; <see langword="null"/> for the default of a new file. Set
    /// at creation (an output with one is created private); may be changed until commit (a manifest learns the last of
    /// its inputs only at the end).
    /// </summary>
    internal OutputAccess? Access { get; set; }

    /// <summary>
    /// The permission bits the file gets when committed (rwx for owner, group and others; other bits are ignored), or
    /// <see langword="null"/> (the default unless given to <see cref="Create(string, UnixFileMode?)"/>) for those of a
    /// new file (0666 less the umask). A file with permissions is written private (0600) and given them only at
    /// commit, so it is never more readable than they say, not even while written. May be changed until the commit
    /// (a file that joins many inputs learns the last of their permissions only at the end). Ignored on Windows.
    /// </summary>
    public UnixFileMode? Permissions
    {
        get => Access?.Permissions;
        set => Access = value is { } bits ? OutputAccess.Exactly(bits) : null;
    }

    /// <summary>The mode the temporary file was created with (before the umask); the default's, 0666, when no access was given.</summary>
    private readonly UnixFileMode _createdWith = (UnixFileMode)0x1B6;

    /// <summary>The final path.</summary>
    internal string TargetPath { get; }

    /// <summary>The temporary path bytes go to until commit.</summary>
    internal string TempPath { get; }

    /// <summary>Bytes written so far.</summary>
    internal long BytesWritten { get; private set; }

    /// <summary>
    /// Starts an atomic write of <paramref name="targetPath"/>: creates the temporary file beside it (and the target's
    /// folder if it is missing). Write with <see cref="WriteAsync"/> or <see cref="Write"/>, then <see cref="CommitAsync"/>
    /// or <see cref="Commit"/>; dispose in every case.
    /// </summary>
    /// <param name="targetPath">The file to create or replace; relative paths are taken from the current folder.</param>
    /// <param name="permissions">The permission bits the file gets at commit (see <see cref="Permissions"/>). Default: <see langword="null"/>, those of a new file.</param>
    /// <returns>The writer, owning the temporary file.</returns>
    /// <exception cref="ArgumentException"><paramref name="targetPath"/> is null, empty or white space.</exception>
    /// <exception cref="IOException">The temporary file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The target's folder cannot be written.</exception>
    public static AtomicFileWriter Create(string targetPath, UnixFileMode? permissions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(targetPath);
        return new AtomicFileWriter(targetPath, asynchronous: true, permissions is { } bits ? OutputAccess.Exactly(bits) : null);
    }

    /// <summary>Starts an atomic write of <paramref name="targetPath"/>, creating its folder if needed.</summary>
    /// <param name="targetPath">The file to replace or create.</param>
    /// <param name="asynchronous">Whether the temporary file is opened for asynchronous I/O.</param>
    /// <exception cref="IOException">The temporary file cannot be created.</exception>
    /// <param name="access">The permissions (and owner) the output gets at commit; <see langword="null"/> for the default of a new file.</param>
    internal static AtomicFileWriter Create(string targetPath, bool asynchronous, OutputAccess? access = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(targetPath);
        return new AtomicFileWriter(targetPath, asynchronous, access);
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="targetPath"/> atomically, giving it <paramref name="access"/> (<see langword="null"/>: the default of a new file).</summary>
    /// <returns>The number of bytes written.</returns>
    internal static async Task<long> WriteAllAsync(string targetPath, ReadOnlyMemory<byte> content, OutputAccess? access = null, CancellationToken cancellationToken = default)
    {
        var writer = Create(targetPath, asynchronous: true, access);
        await using var _ = writer.ConfigureAwait(false);
        await writer.WriteAsync(content, cancellationToken).ConfigureAwait(false);
        await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
        return content.Length;
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="targetPath"/> atomically, synchronously, giving it <paramref name="access"/> (<see langword="null"/>: the default of a new file).</summary>
    /// <returns>The number of bytes written.</returns>
    internal static long WriteAll(string targetPath, ReadOnlySpan<byte> content, OutputAccess? access = null)
    {
        using var writer = Create(targetPath, asynchronous: false, access);
        writer.Write(content);
        writer.Commit();
        return content.Length;
    }

    /// <summary>Whether <paramref name="fileName"/> looks like a temporary file this class makes: <c>.&lt;16 hex&gt;.pipeline.tmp</c>, or <c>name.&lt;12 hex&gt;.pipeline.tmp</c> as earlier versions named them.</summary>
    internal static bool IsTempFileName(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        if (!fileName.EndsWith(TempSuffix, StringComparison.Ordinal))
        {
            return false;
        }

        var stem = fileName[..^TempSuffix.Length];
        var dot = stem.LastIndexOf('.');
        var hex = stem.Length - dot - 1;
        return dot >= 0 && (hex == 12 || (hex == 16 && dot == 0)) && stem[(dot + 1)..].All(char.IsAsciiHexDigitLower);
    }

    /// <summary>
    /// <see cref="TempPath"/>, lent to work that writes the output itself (a child process given the path). Such work may
    /// rename a new file over it (as <c>mv</c> and atomic writers do) or leave something else there, so the commit then
    /// takes the regular file at the path as it is, and gives <em>it</em> <see cref="Access"/>; a link, anything but a
    /// regular file, or nothing there fails the commit.
    /// </summary>
    internal string LendTempPath()
    {
        _writtenByPath = true;
        return TempPath;
    }

    /// <summary>
    /// The temporary file's handle, open for writing at its start, lent to work that writes the output through it (a
    /// child process's standard output). The writer keeps owning it; its length at commit is the output's.
    /// </summary>
    internal SafeFileHandle LendTempHandle() => _stream.SafeFileHandle;

    /// <summary>Appends <paramref name="content"/> to the temporary file.</summary>
    /// <exception cref="ObjectDisposedException">The file was committed.</exception>
    /// <exception cref="IOException">The bytes cannot be written (a full disk, say).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        await _stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
        BytesWritten += content.Length;
    }

    /// <summary>Appends <paramref name="content"/> to the temporary file, synchronously.</summary>
    /// <exception cref="ObjectDisposedException">The file was committed.</exception>
    /// <exception cref="IOException">The bytes cannot be written (a full disk, say).</exception>
    public void Write(ReadOnlySpan<byte> content)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        _stream.Write(content);
        BytesWritten += content.Length;
    }

    /// <summary>Flushes the temporary file, gives it its <see cref="Permissions"/> and renames it over the target.</summary>
    /// <exception cref="IOException">The file cannot be flushed or renamed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; nothing was renamed.</exception>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        GiveAccess();
        await _stream.DisposeAsync().ConfigureAwait(false);
        File.Move(TempPath, TargetPath, overwrite: true);
        _committed = true;
    }

    /// <summary>Flushes the temporary file, gives it its <see cref="Permissions"/> and renames it over the target, synchronously.</summary>
    /// <exception cref="IOException">The file cannot be flushed or renamed.</exception>
    /// <param name="flushToDisk">Whether to wait until the bytes are on the disk, not only handed to the operating system, before the rename (so that not even a power cut can leave the target empty). Default: false.</param>
    public void Commit(bool flushToDisk = false)
    {
        _stream.Flush(flushToDisk);
        GiveAccess();
        _stream.Dispose();
        File.Move(TempPath, TargetPath, overwrite: true);
        _committed = true;
    }

    /// <summary>Closes the file; deletes the temporary file unless it was committed.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        DeleteTempUnlessCommitted();
    }

    /// <summary>Closes the file; deletes the temporary file unless it was committed.</summary>
    public void Dispose()
    {
        _stream.Dispose();
        DeleteTempUnlessCommitted();
    }

    /// <summary>Gives the file about to be renamed into place its <see cref="Access"/>: the one this writer made, or the one the work that borrowed its path left there.</summary>
    private void GiveAccess()
    {
        if (!_writtenByPath)
        {
            Access?.ApplyTo(_stream.SafeFileHandle, _createdWith);
            return;
        }

        // The file this writer made may be gone from the path (and its lock would refuse the open below).
        _stream.Dispose();
        if (new FileInfo(TempPath).LinkTarget is not null)
        {
            throw new IOException("the output was left as a symbolic link, not a file");
        }

        SafeFileHandle left;
        try
        {
            left = RegularFile.OpenRead(TempPath, noFollow: true, out _);
        }
        catch (IOException ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IOException("no output at its temporary path when the work ended: it was removed or moved", ex);
        }

        using (left)
        {
            Access?.ApplyTo(left, (UnixFileMode)0xFFF); // made by the work, with bits unknown: always given them
        }
    }

    private static string TempPathFor(string targetPath)
    {
        // Uniqueness, not secrecy: the file is created with CreateNew, so a collision fails loudly rather than
        // sharing a file. Random.Shared spares the system calls a cryptographic generator makes per name. The name
        // does not grow with the target's: a target name of up to 255 bytes must still be writable.
        Span<byte> random = stackalloc byte[8];
        Random.Shared.NextBytes(random);
        return Path.Join(Path.GetDirectoryName(targetPath), $".{Convert.ToHexStringLower(random)}{TempSuffix}");
    }

    private void DeleteTempUnlessCommitted()
    {
        if (_committed)
        {
            return;
        }

        try
        {
            File.Delete(TempPath);
        }
        catch (IOException)
        {
            // Best effort: the name marks it as ours, so a later run can still recognise and remove it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
