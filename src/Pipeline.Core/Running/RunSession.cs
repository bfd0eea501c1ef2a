using Pipeline.Safety;
using Pipeline.Sources;
using Pipeline.Transforms;
using Pipeline.Unattended;

namespace Pipeline.Running;

/// <summary>
/// What surrounds a run that writes to an output folder, for both runners alike: the folder's lock, the sweep of
/// temporary files a crashed run left, and the journal that makes <see cref="PipelineOptions.Resume"/> possible.
/// </summary>
internal sealed class RunSession : IDisposable
{
    private readonly OutputFolderLock? _lock;
    private readonly RunJournal? _journal;

    private readonly IFileTransform _transform;
    private readonly PipelineOptions _options;

    private RunSession(IFileTransform transform, PipelineOptions options, OutputFolderLock? folderLock, RunJournal? journal, int tempFilesRemoved)
    {
        _transform = transform;
        _options = options;
        _lock = folderLock;
        _journal = journal;
        TempFilesRemoved = tempFilesRemoved;
        Guard = new OutputGuard(options.Selection.InputRoot, options.OutputRoot);
    }

    public int TempFilesRemoved { get; }

    /// <summary>Checks every output path before it is written (see <see cref="OutputGuard"/>).</summary>
    public OutputGuard Guard { get; }

    /// <summary>The files the run takes, in ordinal order: the walk, with any file whose output would overwrite another's failed up front.</summary>
    public IEnumerable<SourceFile> Inputs(CancellationToken cancellationToken) =>
        new OutputClaims(_transform).Apply(GlobFileSource.Enumerate(_options.EffectiveSelection, cancellationToken));

    /// <exception cref="OutputLockedException">Another run holds the output folder; nothing was touched.</exception>
    public static RunSession Start(IFileTransform transform, PipelineOptions options)
    {
        Directory.CreateDirectory(options.OutputRoot);
        if (!options.Journal)
        {
            return new RunSession(transform, options, null, null, 0);
        }

        var folderLock = OutputFolderLock.Acquire(options.OutputRoot);
        try
        {
            var removed = TempFileSweeper.Sweep(options.OutputRoot);
            return new RunSession(transform, options, folderLock, RunJournal.Open(options.OutputRoot, transform, options.Resume), removed);
        }
        catch
        {
            folderLock.Dispose();
            throw;
        }
    }

    public FileResult? TryResume(SourceFile file) => _journal?.TryResume(file);

    public void Record(FileResult result) => _journal?.Record(result);

    public void Record(IReadOnlyList<FileResult> results) => _journal?.Record(results);

    public void Dispose()
    {
        _journal?.Dispose();
        _lock?.Dispose();
    }
}
