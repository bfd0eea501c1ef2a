using Pipeline.IO;
using Pipeline.Safety;
using Pipeline.Sharding;
using Pipeline.Sources;
using Pipeline.Transforms;
using Pipeline.Unattended;

namespace Pipeline.Running.Engine;

/// <summary>
/// What surrounds a run that writes to an output folder, for both runners alike: the folder's lock, the sweep of
/// temporary files a crashed run left, the journal that makes <see cref="PipelineOptions.Resume"/> possible, the
/// settings every file shares (<see cref="Run"/>), and the end of the run (aggregate outputs, summary).
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

    /// <summary>Stops the intake: on cancellation, or once the error limit is reached (files in flight still finish).</summary>
    public CancellationTokenSource? Intake { get; private set; }

    /// <summary>Counts failures and stops the intake at <see cref="PipelineOptions.MaxErrors"/>.</summary>
    public ErrorLimit ErrorLimit { get; private set; } = null!;

    public RunCounters Counters { get; } = new();

    /// <summary>The permissions the run's inputs share, for its aggregate outputs (see <see cref="OutputAccess.Describing"/>).</summary>
    public InputPermissions InputPermissions { get; } = new();

    /// <summary>What every file of the run shares; built by <see cref="Begin"/>.</summary>
    public RunContext Run { get; private set; } = null!;

    public System.Diagnostics.Stopwatch Stopwatch { get; } = new();

    private readonly RunTally _tally = new();
    private OrderedResults? _ordered;
    private IAggregateSink? _aggregates;
    private List<FileResult>? _kept;
    private int _linksNotFollowed;

    public int TempFilesRemoved { get; }

    /// <summary>Checks every output path before it is written (see <see cref="OutputGuard"/>).</summary>
    public OutputGuard Guard { get; }

    /// <summary>
    /// The files the run takes, in ordinal order: the walk (only <see cref="PipelineOptions.Shard"/>'s files of it), with
    /// any file whose output would overwrite another's failed up front. Claims are made over the whole walk, so a file
    /// fails for a clash with a file of another shard exactly as it would in one run.
    /// </summary>
    public IEnumerable<SourceFile> Inputs(CancellationToken cancellationToken)
    {
        long sequence = 0;
        var shard = _options.Shard;
        void LinkNotFollowed(string path)
        {
            if (shard is null || shard.Contains(path.TrimEnd('/')))
            {
                Interlocked.Increment(ref _linksNotFollowed);
            }
        }

        foreach (var file in new OutputClaims(_transform, _options.OutputRoot, _options.Selection.ExcludedFiles).Apply(GlobFileSource.Enumerate(_options.EffectiveSelection, LinkNotFollowed, cancellationToken)))
        {
            if (shard is not null && !shard.Contains(file.RelativePath))
            {
                continue;
            }

            file.Sequence = sequence++;
            InputPermissions.Add(file.Node);
            yield return file;
        }
    }

    /// <summary>
    /// Counts the files <see cref="Inputs"/> will take, and their bytes, on a thread of its own and ahead of the work
    /// (see <see cref="RunCounters.CountAhead"/>): one more walk of names and sizes, made only when progress is
    /// reported. It ends when <paramref name="cancellationToken"/> fires; a folder it cannot read is left to the run's
    /// own walk to report.
    /// </summary>
    public Task CountAheadAsync(CancellationToken cancellationToken) => Task.Factory.StartNew(
        () =>
        {
            var shard = _options.Shard;
            try
            {
                var walk = GlobFileSource.Enumerate(_options.EffectiveSelection, cancellationToken: cancellationToken);
                Counters.CountAhead(shard is null ? walk : walk.Where(file => shard.Contains(file.RelativePath)), cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or UnauthorizedAccessException)
            {
                // Stopped with the run, or the walk failed: the run's own walk says why; the display waits for its total.
            }
        },
        cancellationToken,
        TaskCreationOptions.LongRunning,
        TaskScheduler.Default);

    /// <summary>
    /// The options a run takes: its own copy (so later changes never reach it), validated, and checked against the
    /// transform (<see cref="Check"/>). Throws before anything is touched.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="transform"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="PipelineOptionsException">The options are invalid, or the transform cannot run with them.</exception>
    public static PipelineOptions Prepare(IFileTransform transform, PipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(options);
        var copy = options.Clone();
        copy.Validate();
        Check(transform, copy);
        return copy;
    }

    /// <summary>Checks what <see cref="PipelineOptions.Validate"/> cannot see: whether the transform can run with these options.</summary>
    /// <exception cref="PipelineOptionsException">It cannot; nothing was touched.</exception>
    public static void Check(IFileTransform transform, PipelineOptions options)
    {
        if (options.Shard is not null && ShardParts.Problem(transform) is { } problem)
        {
            throw new PipelineOptionsException([new PipelineOptionsProblem(nameof(PipelineOptions.Shard), problem)]);
        }
    }

    /// <exception cref="OutputLockedException">Another run holds the output folder; nothing was touched.</exception>
    /// <exception cref="UnusablePathException">The output folder cannot be made or written, or one of the tool's own files in it is a link or a special file; no file was processed.</exception>
    public static RunSession Start(IFileTransform transform, PipelineOptions options)
    {
        StateFile.CreateOutputFolder(options.OutputRoot);
        if (!options.Journal)
        {
            return new RunSession(transform, options, null, null, 0);
        }

        var folderLock = OutputFolderLock.Acquire(options.OutputRoot, options.Shard);
        try
        {
            // A shard sweeps only its own folder: the other shards' temporary files are in flight. The merge, which
            // holds the folder alone, sweeps the rest.
            var removed = TempFileSweeper.Sweep(options.Shard is null ? options.OutputRoot : ShardLayout.StateFolder(options.OutputRoot, options.Shard));
            if (options.Shard is { } shard)
            {
                ShardLayout.ClearFinished(options.OutputRoot, shard);
            }

            return new RunSession(transform, options, folderLock, RunJournal.Open(options.OutputRoot, transform, options.Resume, options.Shard), removed);
        }
        catch
        {
            folderLock.Dispose();
            throw;
        }
    }

    /// <summary>Starts the clock and builds what every file shares; <paramref name="sequential"/> picks the baseline's way of reading and writing.</summary>
    public RunContext Begin(bool sequential, bool countProgress, CancellationToken cancellationToken)
    {
        Intake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ErrorLimit = new ErrorLimit(_options.MaxErrors, Intake);
        Run = new RunContext(_transform, _options.OutputRoot, _options.ChunkSize, new MemoryBudget(_options.MemoryBudget), RetryPolicy.From(_options), Guard, ErrorLimit, countProgress ? Counters : null, new FilesInFlight(), sequential, sequential ? 1 : _options.MaxDegreeOfParallelism, cancellationToken)
        {
            FollowSymlinks = _options.Selection.FollowSymlinks,
        };
        _kept = _options.KeepResults ? [] : null;
        _aggregates = _options.Shard is { } shard
            ? new ShardParts(_transform, ShardLayout.PartsFolder(_options.OutputRoot, shard), InputPermissions)
            : new AggregateStream(_transform, _options.OutputRoot, Guard, InputPermissions);
        _ordered = new OrderedResults(InOrder);
        Stopwatch.Start();
        return Run;
    }

    /// <summary>The reader of a streamed run, whose pace the feed keeps to; <see langword="null"/> for a run that nobody reads as a stream.</summary>
    public ConsumerWindow? Consumer { get; set; }

    /// <summary>
    /// Completes once the file of <paramref name="sequence"/> may be taken without running too far ahead of the first
    /// result still missing (see <see cref="OrderedResults.Window"/>) or of the results a stream's reader has taken.
    /// </summary>
    public Task WaitForRoomAsync(long sequence)
    {
        var ordered = _ordered!.WaitForRoomAsync(sequence);
        if (Consumer?.WaitForRoomAsync(sequence) is not { IsCompleted: false } reader)
        {
            return ordered;
        }

        return ordered.IsCompleted ? reader : Task.WhenAll(ordered, reader);
    }

    /// <summary>Takes a file's result, in any order: it is recorded in the journal at once, and counted, kept and written to the aggregate outputs once every earlier result is known.</summary>
    public void Complete(FileResult result)
    {
        _journal?.Record(result);
        _ordered!.Add(result);
    }

    /// <inheritdoc cref="Complete(FileResult)"/>
    public void Complete(IReadOnlyList<FileResult> results)
    {
        // One journal write per batch: a kill loses at most the files in flight, as with one per file.
        _journal?.Record(results);
        foreach (var result in results)
        {
            _ordered!.Add(result);
        }
    }

    private void InOrder(FileResult result)
    {
        _tally.Add(result);
        _kept?.Add(result);
        _aggregates!.Add(result);
        _options.Results?.Report(result);
    }

    /// <summary>
    /// Ends a run whose stages have all stopped: unless it was cancelled or stopped by the error limit, puts the
    /// aggregate outputs in place (one code path for both runners) — for a shard, its parts of them and then its
    /// completion record — and sums it up.
    /// </summary>
    public async Task<RunSummary> FinishAsync(CancellationToken cancellationToken)
    {
        var cancelled = cancellationToken.IsCancellationRequested;
        if (!cancelled && !ErrorLimit.Reached)
        {
            await _aggregates!.CommitAsync(cancellationToken).ConfigureAwait(false);
            if (_options.Shard is { } shard)
            {
                var selection = _options.Selection;
                new ShardRecord(
                    shard.Index,
                    shard.Count,
                    _transform.Name,
                    _transform.Fingerprint,
                    selection.InputRoot,
                    selection.Include,
                    selection.Exclude,
                    selection.FollowSymlinks,
                    ((ShardParts)_aggregates).Outputs,
                    _tally.Succeeded + _tally.Failed + _tally.Skipped + _tally.Cancelled,
                    _tally.Succeeded,
                    _tally.Failed,
                    _tally.Skipped).Write(ShardLayout.RecordPath(_options.OutputRoot, shard));
            }
        }

        return new RunSummary(_tally, _kept, Stopwatch.Elapsed, cancelled)
        {
            PeakBufferedBytes = Run.Budget.Peak,
            StoppedByErrorLimit = ErrorLimit.Reached,
            TempFilesRemoved = TempFilesRemoved,
            SymbolicLinksNotFollowed = Volatile.Read(ref _linksNotFollowed),
        };
    }

    /// <summary>The result of a file the journal says an earlier run finished (with <see cref="PipelineOptions.Resume"/>), or <see langword="null"/>.</summary>
    public FileResult? TryResume(SourceFile file)
    {
        if (_journal?.TryResume(file) is not { } done)
        {
            return null;
        }

        done.Sequence = file.Sequence;
        return done;
    }

    /// <summary>Records results in the journal only (a block's results, which need no order).</summary>
    public void Record(IReadOnlyList<FileResult> results) => _journal?.Record(results);

    public void Dispose()
    {
        _aggregates?.Dispose();
        Run?.Folders.Dispose();
        Intake?.Dispose();
        _journal?.Dispose();
        _lock?.Dispose();
    }
}
