using Pipeline.Csv;
using Pipeline.IO;

namespace Pipeline.Verifying;

/// <summary>
/// The report of a verification, one CSV row per verdict (<c>path,status,expected,actual,bytes,moved_from,error</c>),
/// written as verdicts come (from the <c>results</c> of <see cref="ManifestVerifier.VerifyAsync"/>), so a tree of
/// millions of files is reported without holding it: rows go to a temporary file beside the target, which
/// <see cref="Commit"/> renames over it, and disposing without committing leaves no file behind. Fields are quoted by
/// the rule of every CSV the library writes, so each reads back as exactly the fields written.
/// </summary>
/// <remarks>The counterpart of <see cref="Reporting.RunReport"/> for <see cref="ManifestVerifier"/>; the command line's <c>verify --report</c> writes it.</remarks>
public sealed class VerifyReport : IDisposable
{
    /// <summary>The report's first line: its columns.</summary>
    public const string Header = "path,status,expected,actual,bytes,moved_from,error";

    private const int FlushBytes = 64 * 1024;
    private readonly CsvRows _rows = new(Header);
    private readonly AtomicFileWriter _file;
    private bool _committed;

    private VerifyReport(string path)
    {
        // Created now: a report that cannot be written stops a check before it starts.
        _file = AtomicFileWriter.Create(path, asynchronous: false);
    }

    /// <summary>Starts a report to <paramref name="path"/>: its temporary file is created beside it at once.</summary>
    /// <param name="path">The report file, created or replaced at <see cref="Commit"/>; its folder is created if missing.</param>
    /// <returns>The report, which the caller disposes.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    /// <exception cref="IOException">The temporary file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder cannot be written.</exception>
    public static VerifyReport Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new VerifyReport(path);
    }

    /// <summary>Adds one verdict's row; rows keep the order they are added in.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="verdict"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The report was committed.</exception>
    /// <exception cref="IOException">The report cannot be written.</exception>
    public void Add(VerifyResult verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ObjectDisposedException.ThrowIf(_committed, this);
        _rows.Field(verdict.RelativePath)
            .Field(verdict.Status.ToString().ToLowerInvariant())
            .Field(verdict.Expected is { } e ? Convert.ToHexStringLower(e.Span) : string.Empty)
            .Field(verdict.Actual is { } a ? Convert.ToHexStringLower(a.Span) : string.Empty)
            .Field(verdict.Bytes)
            .Field(verdict.MovedFrom ?? string.Empty)
            .Field(verdict.Error ?? string.Empty)
            .EndRow();
        if (_rows.Length >= FlushBytes)
        {
            WriteOut();
        }
    }

    /// <summary>Writes the rest, waits until it is on the disk, and renames the report over its target.</summary>
    /// <exception cref="ObjectDisposedException">The report was already committed.</exception>
    /// <exception cref="IOException">The report cannot be written.</exception>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        WriteOut();
        _file.Commit(flushToDisk: true);
        _committed = true;
    }

    /// <summary>Closes the report; its temporary file is removed unless it was committed.</summary>
    public void Dispose()
    {
        _rows.Dispose();
        _file.Dispose();
    }

    private void WriteOut()
    {
        _rows.TakeOut(rows => _file.Write(rows.Span));
    }
}
