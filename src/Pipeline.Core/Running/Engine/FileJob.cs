using System.Buffers;
using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using Pipeline.IO;
using Pipeline.Safety;
using Pipeline.Sources;
using Pipeline.Transforms;

namespace Pipeline.Running.Engine;

/// <summary>
/// The life of one file, from admission to result: open (regular files only), read whole or in chunks, process,
/// spill, commit atomically, retry, and its share of the memory budget. Both runners drive these same steps — the
/// sequential runner one file after another, the pipeline on its three blocks — so they do the same work and write
/// the same bytes. Each step turns any failure into the file's <see cref="Result"/>; <see cref="DisposeAsync"/> frees
/// everything the file holds (buffers, handle, temporary output, budget) exactly once, whoever calls it first.
/// </summary>
internal sealed partial class FileJob : IAsyncDisposable
{
    private readonly RunContext _run;
    private BudgetLease? _lease;
    private bool _prepaid;
    private long _outputPrepaid;
    private long _streamHeld;
    private byte[]? _input;
    private int _inputLength;
    private IChunkSource? _chunks;
    private SafeFileHandle? _handle;
    private FileNode _handleNode;
    private PooledBufferWriter? _output;
    private AtomicFileWriter? _writer;
    private object? _artifact;
    private long _bytesIn;
    private int _retried;
    private int _opened;
    private long _openedLength;
    private bool _outputByPath;
    private int _disposed;

    private FileJob(RunContext run, SourceFile file, string? outputPath, long started)
    {
        _run = run;
        File = file;
        OutputPath = outputPath;
        Started = started;
        run.InFlight.Add(this);
    }

    public SourceFile File { get; }

    /// <summary>The file's output, absolute; <see langword="null"/> for a transform that writes only aggregate outputs.</summary>
    public string? OutputPath { get; }

    public long Started { get; }

    /// <summary>Whether the transform's work on this file waits (see <see cref="IAsyncFileTransform"/>) rather than computes.</summary>
    public bool WaitsForTransform => _run.Transform is IAsyncFileTransform;

    /// <summary>The outcome, once known: early for a file that failed or was cancelled, at commit otherwise.</summary>
    public FileResult? Result { get; private set; }

    private CancellationToken Token => _run.CancellationToken;

    /// <summary>Admits <paramref name="file"/>: asks the transform for its output path once (a transform that cannot name it fails this file only).</summary>
    public static FileJob Admit(RunContext run, SourceFile file)
    {
        var started = Stopwatch.GetTimestamp();
        if (file.EnumerationError is not null)
        {
            return new FileJob(run, file, null, started);
        }

        string? output;
        try
        {
            output = run.Transform.GetOutputPath(file.RelativePath) is { } relative ? Path.Join(run.OutputRoot, relative) : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var failed = new FileJob(run, file, null, started);
            failed.Fail(new OutputNamingException(FileErrors.Describe(ex), ex));
            return failed;
        }

        return new FileJob(run, file, output, started);
    }

    /// <summary>A file whose result is known without any step (skipped by a resume): it passes the steps untouched.</summary>
    public static FileJob Finished(RunContext run, SourceFile file, FileResult result) =>
        new(run, file, null, Stopwatch.GetTimestamp()) { Result = result };

    /// <summary>
    /// The reader's step: opens the file and reads it whole when it fits one chunk, or gets it ready to stream.
    /// Transient failures (busy, locked) are retried by the run's one retry loop; the scope of a retry is this step.
    /// </summary>
    /// <param name="share">Budget its batch already holds for it as a small file, or <see langword="null"/> to acquire its own.</param>
    public async ValueTask ReadAsync(BudgetLease? share)
    {
        _lease = share;
        _prepaid = share is not null;
        if (Result is not null)
        {
            return;
        }

        if (_run.ErrorLimit is { Reached: true })
        {
            // Not started before the error limit was reached: not processed, rather than one more failure.
            Result = FileResult.Cancelled(File);
            return;
        }

        if (File.Failure is { } failure)
        {
            Fail(failure);
            return;
        }

        try
        {
            Token.ThrowIfCancellationRequested();
            _retried = await _run.Retry.ExecuteAsync(_ => OpenAsync(), _retried, Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await AbandonAsync(ex).ConfigureAwait(false);
        }
    }

    /// <summary>The CPU stage's step: runs the transform over the file's bytes; output beyond two chunks is written out as it grows.</summary>
    public async ValueTask ProcessAsync()
    {
        if (Result is not null)
        {
            return;
        }

        if (_run.ErrorLimit is { Reached: true })
        {
            // Read, but not processed before the error limit was reached: stop short of one more failure.
            await ReleaseAsync().ConfigureAwait(false);
            Result = FileResult.Cancelled(File);
            return;
        }

        try
        {
            Token.ThrowIfCancellationRequested();

            // The scope of a retry is the whole file: a transient error while a streamed file is read chunk by chunk
            // (or one the transform reports) starts the file again from scratch, with a new processor.
            var first = _retried;
            _retried = await _run.Retry.ExecuteAsync(
                async tried =>
                {
                    if (tried > first)
                    {
                        await RestartAsync().ConfigureAwait(false);
                    }

                    await ProcessOnceAsync().ConfigureAwait(false);
                },
                _retried,
                Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await AbandonAsync(ex).ConfigureAwait(false);
        }
    }

    /// <summary>The transform, when it processes this streamed file's chunks apart (see <see cref="IIndependentChunks.Splits"/>).</summary>
    private IIndependentChunks? IndependentChunks =>
        _run.Transform is IIndependentChunks split && split.Splits(_run.ChunkSize, OutputPath is not null) ? split : null;

    private async ValueTask ProcessOnceAsync()
    {
        _output = NewOutput();
        if (_run.Transform is IAsyncFileTransform waiting)
        {
            await WaitForTransformAsync(waiting).ConfigureAwait(false);
            return;
        }

        if (_chunks is not null && IndependentChunks is { } independent)
        {
            await StreamChunksAsync(independent).ConfigureAwait(false);
            return;
        }

        using var processor = _run.Transform.CreateProcessor(File);
        if (_chunks is null)
        {
            // The common case: the whole file is in memory and the work is pure CPU on this thread.
            using (await _run.TakeCoreAsync(Token).ConfigureAwait(false))
            {
                if (_inputLength > 0)
                {
                    processor.Append(_input.AsSpan(0, _inputLength), _output);
                }

                _bytesIn = _inputLength;
                ReturnInput();
                _artifact = processor.Complete(_output);
            }
        }
        else
        {
            await StreamAsync(processor).ConfigureAwait(false);
        }
    }

    /// <summary>Frees everything the file holds; an uncommitted output's temporary file is deleted. Only the first call does anything.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await ReleaseAsync().ConfigureAwait(false);
        _lease?.Dispose();
        Result ??= FileResult.Cancelled(File);
        _run.InFlight.Remove(this);
    }

    /// <summary>Ends the file early: cancelled if the run was, failed with the reason otherwise; everything it holds is freed.</summary>
    private async ValueTask AbandonAsync(Exception error)
    {
        await ReleaseAsync().ConfigureAwait(false);
        if (error is OperationCanceledException && Token.IsCancellationRequested)
        {
            Result ??= FileResult.Cancelled(File);
        }
        else if (Result is null)
        {
            Fail(error);
        }
    }

    /// <summary>
    /// A failed result, of the kind <paramref name="error"/> is, counted at once towards the error limit, so that files
    /// not yet started can stop short of it. The walk's and the claims' failures carry their reason as their message;
    /// any other is described from its kind.
    /// </summary>
    private void Fail(Exception error)
    {
        var kind = FileErrors.KindOf(error);
        var reason = error is OutputNamingException || ReferenceEquals(error, File.Failure) ? error.Message : FileErrors.Describe(kind, error);
        Result = FileResult.Failed(File, kind, reason, error, Started);
        _run.ErrorLimit?.Count(Result);
    }

    private void ReturnInput()
    {
        if (_input is { } input)
        {
            _run.SmallBuffers.Return(input);
            _input = null;
            _lease?.Shrink(_run.SmallReservation(File.Length, OutputPath is not null) - _outputPrepaid);
        }
    }

    /// <summary>Frees buffers, the chunk source and an uncommitted output; the lease stays until <see cref="DisposeAsync"/>.</summary>
    private async ValueTask ReleaseAsync()
    {
        ReturnInput();
        _handle?.Dispose();
        _handle = null;
        _output?.Dispose();
        _output = null;
        if (_chunks is { } chunks)
        {
            _chunks = null;
            await chunks.DisposeAsync().ConfigureAwait(false);
        }

        if (_writer is { } writer)
        {
            _writer = null;
            await writer.DisposeAsync().ConfigureAwait(false);
        }
    }
}
