using System.Buffers;
using Microsoft.Win32.SafeHandles;
using Pipeline.IO;
using Pipeline.Safety;
using Pipeline.Transforms;

namespace Pipeline.Running.Engine;

/// <summary>A file's life, continued: getting its bytes in, whole or chunk by chunk, and through the transform.</summary>
internal sealed partial class FileJob
{
    /// <summary>
    /// Reads until <paramref name="buffer"/> is full or the file ends, so chunk boundaries never depend on how a read was split.
    /// A read that returns less than asked for, once the file's known size (<paramref name="knownEnd"/>) is reached, is
    /// taken as the end: that spares the read that would only return 0, one system call per small file.
    /// </summary>
    internal static int ReadFull(SafeFileHandle handle, Span<byte> buffer, long offset, long knownEnd = long.MaxValue)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var asked = buffer.Length - total;
            var n = RegularFile.Read(handle, buffer[total..], offset + total);
            total += n;
            if (n == 0 || (n < asked && offset + total >= knownEnd))
            {
                break;
            }
        }

        return total;
    }

    /// <summary>One attempt of the read step. A failed attempt leaves nothing held, so the next starts clean.</summary>
    private async ValueTask OpenAsync()
    {
        try
        {
            await OpenOnceAsync().ConfigureAwait(false);
        }
        catch
        {
            await ReleaseAsync().ConfigureAwait(false);
            if (!_prepaid)
            {
                _lease?.Dispose();
                _lease = null;
            }

            throw;
        }
    }

    private async ValueTask OpenOnceAsync()
    {
        // Only a regular file is ever read, and only the one the walk saw: the opener checks what it opened before
        // returning (see RegularFile), and a link or another file in its place since is refused here.
        SafeFileHandle? handle = _run.Folders.OpenRead(File.FullPath, noFollow: !_run.FollowSymlinks, out var opened);
        var openedLength = _openedLength = opened.Length;
        var firstAttempt = _opened++ == 0;
        try
        {
            if (File.Node.IsKnown && opened.IsKnown)
            {
                if (!opened.IsSameNode(File.Node))
                {
                    throw ChangedDuringTheRun.Replacement();
                }

                // A later attempt (a retry) reads the file as it is then, whole and unchanged while read.
                if (firstAttempt && !opened.HasSameContentStamp(File.Node))
                {
                    throw new ChangedDuringTheRun(ChangedDuringTheRun.WalkStampReason, replaced: false);
                }
            }

            // Work that takes the open file (a child process reading it as its standard input) gets the handle,
            // checked as above, and none of its bytes: they never pass through this process.
            if (_run.Transform is IAsyncFileTransform { TakesOpenFile: true })
            {
                _handle = handle;
                _handleNode = opened;
                handle = null;
                return;
            }

            // A small file is budgeted by the walk's size (its batch prepaid that); one that grew since is caught
            // below when it fills its buffer, and then streams like a large one.
            var chunkSize = _run.ChunkSize;
            var length = File.Length <= chunkSize ? File.Length : openedLength;
            var hasOutput = OutputPath is not null;
            if (length <= chunkSize)
            {
                // Room for one byte more than the size seen, so a file that grew since is noticed. The pool hands
                // out powers of two, so that is what the budget counts; the output is expected to be about as large.
                var needed = _run.SmallReservation(length, hasOutput);
                if (_lease is null)
                {
                    _lease = await BudgetLease.AcquireAsync(_run.Budget, needed, Token).ConfigureAwait(false);
                }
                else if (_lease.Held == 0)
                {
                    _lease.Grow(needed); // a restart on a later stage, which never waits for budget
                }

                _outputPrepaid = hasOutput ? needed / 2 : 0;
                _input = _run.SmallBuffers.Rent((int)length + 1);

                // Read synchronously, on the reader's own thread: on Linux an "asynchronous" file read is this same
                // read queued to the thread pool, and that hop costs more than the read.
                var limit = Math.Min(_input.Length, chunkSize + 1);
                var n = ReadFull(handle, _input.AsSpan(0, limit), 0, length);
                if (n < limit && n <= chunkSize)
                {
                    // All of it, and still as it was when opened: no result claims content that never existed.
                    ChangedDuringTheRun.ThrowIfChanged(handle, opened, n);
                    _inputLength = n;
                    _run.Counters?.Read(n);
                    return;
                }

                // It filled the buffer, so it grew since the walk: stream it like any large file.
                ReturnInput();
            }

            // Inside a batch that already holds memory, never wait (a reader waiting half way through a batch while
            // holding memory could stall every reader at once): take what streaming needs on top.
            var output = hasOutput ? (long)_run.SpillThreshold : 0;
            var reservation = IndependentChunks is { } independent ? _run.IndependentChunksReservation(independent, hasOutput) : _run.StreamReservation + output;
            if (_lease is null)
            {
                _lease = await BudgetLease.AcquireAsync(_run.Budget, reservation, Token).ConfigureAwait(false);
            }
            else
            {
                _lease.Grow(reservation);
            }

            // Chunks processed apart hold all their buffers in the reservation, and the file's own output only a header
            // and a trailer; otherwise the output buffer keeps its share until commit.
            _streamHeld = IndependentChunks is null ? _run.StreamReservation : reservation;
            _outputPrepaid = IndependentChunks is null ? output : 0;
            _chunks = _run.Sequential
                ? new SequentialChunkReader(handle, chunkSize, opened)
                : new ChunkReader(handle, chunkSize, RunContext.ReadAhead, opened, Token);
            handle = null;
        }
        finally
        {
            handle?.Dispose();
        }
    }

    /// <summary>A file larger than one chunk: chunks come in (read ahead, in the pipeline) while this step computes; full output buffers are written as they fill.</summary>
    private async ValueTask StreamAsync(IFileProcessor processor)
    {
        var chunks = _chunks!;
        var output = _output!;
        if (OutputPath is { } outputPath)
        {
            _writer ??= CreateWriter(outputPath);
        }

        try
        {
            while (await chunks.ReadAsync(Token).ConfigureAwait(false) is { } chunk)
            {
                _run.Counters?.Read(chunk.Length);
                try
                {
                    using (await _run.TakeCoreAsync(Token).ConfigureAwait(false))
                    {
                        processor.Append(chunk.Buffer.AsSpan(0, chunk.Length), output);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(chunk.Buffer);
                }

                if (_writer is { } writer && output.WrittenCount >= _run.ChunkSize)
                {
                    await WriteOutAsync(writer, output.WrittenMemory).ConfigureAwait(false);
                    output.Clear();
                }
            }

            using (await _run.TakeCoreAsync(Token).ConfigureAwait(false))
            {
                _artifact = processor.Complete(output);
            }

            _bytesIn = chunks.BytesRead;
        }
        finally
        {
            _chunks = null;
            await chunks.DisposeAsync().ConfigureAwait(false);
            _lease?.Shrink(_streamHeld);
            _streamHeld = 0;
        }
    }

    /// <summary>
    /// A transform that waits (a child process, a web request): it reads the content as a stream (the bytes in memory,
    /// or the chunks as they are read) and writes its output as a stream straight to the atomic writer, holding one of
    /// the run's wait slots (not a core) while it waits.
    /// </summary>
    private async ValueTask WaitForTransformAsync(IAsyncFileTransform transform)
    {
        var chunks = _chunks;
        var input = new FileInputStream(_input.AsMemory(0, chunks is null ? _inputLength : 0), chunks, Token);
        var output = OutputPath is { } outputPath
            ? new FileOutputStream((bytes, token) => WriteOutAsync(_writer ??= CreateWriter(outputPath), bytes))
            : Stream.Null;
        Func<string>? byPath = OutputPath is { } path
            ? () =>
            {
                _outputByPath = true;
                return (_writer ??= CreateWriter(path)).LendTempPath();
            }
            : null;
        Func<SafeFileHandle>? byHandle = OutputPath is { } target
            ? () =>
            {
                _outputByPath = true;
                return (_writer ??= CreateWriter(target)).LendTempHandle();
            }
            : null;
        try
        {
            using (await _run.TakeWaitSlotAsync(Token).ConfigureAwait(false))
            {
                // A slot freed by a command killed on cancellation can reach a waiter before the cancellation does.
                Token.ThrowIfCancellationRequested();
                if (_run.ErrorLimit is { Reached: true })
                {
                    // The limit was reached while this file waited for its slot: it does not start (a command can have
                    // effects), as a file not yet processed does not.
                    Result = FileResult.Cancelled(File);
                    return;
                }

                _artifact = await transform.ProcessAsync(new FileWork(File, input, _handle, output, byPath, byHandle), Token).ConfigureAwait(false);
            }

            if (_handle is { } handle)
            {
                // Whoever read it, the content was the file the walk saw, unchanged until the work ended.
                ChangedDuringTheRun.ThrowIfChanged(handle, _handleNode, _handleNode.Length);
                _run.Counters?.Read(_openedLength);
            }

            _bytesIn = Math.Max(input.BytesRead, _openedLength);
        }
        finally
        {
            await input.DisposeAsync().ConfigureAwait(false);
            ReturnInput();
            if (chunks is not null)
            {
                _chunks = null;
                await chunks.DisposeAsync().ConfigureAwait(false);
                _lease?.Shrink(_streamHeld);
                _streamHeld = 0;
            }
        }
    }

    /// <summary>Drops a failed attempt's buffers, chunks and temporary output, and opens the file again.</summary>
    private async ValueTask RestartAsync()
    {
        await ReleaseAsync().ConfigureAwait(false);
        _lease?.Shrink(_lease.Held);
        _prepaid = false;
        await OpenOnceAsync().ConfigureAwait(false);
    }
}
