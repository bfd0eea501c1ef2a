using System.Diagnostics;
using System.Numerics;
using Microsoft.Win32.SafeHandles;
using Pipeline.IO;
using Pipeline.Safety;
using Pipeline.Sources;
using Pipeline.Transforms;
using Pipeline.Unattended;

namespace Pipeline.Running;

/// <summary>
/// The work each of the three blocks does for one file. Every delegate turns any failure into a result:
/// Dataflow would silently drop an item whose delegate throws <see cref="OperationCanceledException"/>,
/// and a bad file must fail alone, not fault the pipeline.
/// </summary>
internal sealed class PipelineStages(IFileTransform transform, string outputRoot, int chunkSize, MemoryBudget budget, RetryPolicy retry, ErrorLimit? errorLimit, RunCounters? counters, OutputGuard guard, CancellationToken cancellationToken)
{
    /// <summary>Chunks a streamed file may have read ahead of the CPU stage.</summary>
    internal const int ReadAhead = 2;

    /// <summary>Budget a streamed file takes at admission: its read-ahead, the chunk being read and the chunk being processed.</summary>
    internal long StreamReservation => (ReadAhead + 2) * (long)chunkSize;

    /// <summary>Output held in memory before it is written out (twice a chunk), whatever a transform produces per chunk.</summary>
    private int SpillThreshold => 2 * chunkSize;

    public async Task<FileBatch> ReadBatchAsync(FileBatch batch)
    {
        var items = batch.Files.Select(NewItem).ToList();

        // A batch of small files takes its whole share of the budget before reading any of them, so a reader
        // never waits half way through a batch while holding memory (which could stall every reader at once).
        var prepaid = items.Count > 1 || items[0].File.Length <= chunkSize;
        if (prepaid)
        {
            var share = items.Sum(i => SmallReservation(i.File.Length, i.OutputPath is not null));
            try
            {
                await budget.AcquireAsync(share, cancellationToken).ConfigureAwait(false);
                batch.Reserved = share;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Each file then comes out cancelled from ReadAsync.
            }
        }

        foreach (var item in items)
        {
            batch.Items.Add(await ReadAsync(item, prepaid).ConfigureAwait(false));
        }

        return batch;
    }

    public async Task<FileBatch> TransformBatchAsync(FileBatch batch)
    {
        foreach (var item in batch.Items)
        {
            await TransformAsync(item).ConfigureAwait(false);
        }

        return batch;
    }

    public async Task<FileResult[]> WriteBatchAsync(FileBatch batch)
    {
        var results = new FileResult[batch.Items.Count];
        try
        {
            for (var i = 0; i < results.Length; i++)
            {
                results[i] = await WriteAsync(batch.Items[i]).ConfigureAwait(false);
            }
        }
        finally
        {
            budget.Release(batch.Reserved);
            batch.Reserved = 0;
        }

        return results;
    }

    private WorkItem NewItem(SourceFile file)
    {
        var started = Stopwatch.GetTimestamp();
        if (file.EnumerationError is not null)
        {
            return new WorkItem(file, null, started, budget);
        }

        try
        {
            return new WorkItem(file, transform.GetOutputPath(file.RelativePath) is { } relative ? Path.Join(outputRoot, relative) : null, started, budget);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A transform that cannot name one file's output fails that file, not the run.
            return new WorkItem(file, null, started, budget) { Result = Fail(file, $"the transform could not name its output: {FileErrors.Describe(ex)}", started) };
        }
    }

    /// <summary>A failed result, counted at once towards the error limit, so that files not yet started can stop short of it.</summary>
    private FileResult Fail(SourceFile file, string reason, long started)
    {
        var result = SequentialRunner.Failed(file, reason, started);
        errorLimit?.Count(result);
        return result;
    }

    /// <summary>Opens an output, after the guard has checked its path (see <see cref="OutputGuard"/>).</summary>
    private AtomicFileWriter CreateWriter(string outputPath)
    {
        guard.Check(outputPath);
        return AtomicFileWriter.Create(outputPath);
    }

    private async Task<WorkItem> ReadAsync(WorkItem item, bool prepaid)
    {
        var file = item.File;
        if (item.Result is not null)
        {
            return item;
        }

        if (errorLimit is { Reached: true })
        {
            // Not started before the error limit was reached: not processed, rather than one more failure.
            item.Result = SequentialRunner.Cancelled(file);
            return item;
        }

        if (file.EnumerationError is { } enumerationError)
        {
            item.Result = Fail(file, enumerationError, item.Started);
            return item;
        }

        for (var attempt = 0; ; attempt++)
        {
            Exception error;
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                await ReadOnceAsync(item, prepaid).ConfigureAwait(false);
                return item;
            }
            catch (Exception ex)
            {
                error = ex;
                await item.ReleaseAllAsync().ConfigureAwait(false);
            }

            if (error is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                item.Result = SequentialRunner.Cancelled(file);
                return item;
            }

            if (attempt >= retry.Retries || !TransientErrors.IsTransient(error))
            {
                item.Result = Fail(file, FileErrors.Describe(error), item.Started);
                return item;
            }

            // Busy or locked for a moment (another program writing it, say): wait and try again. A cancellation
            // during the wait must become a result too: an exception here would make Dataflow drop the batch.
            try
            {
                await retry.DelayAsync(attempt, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                item.Result = SequentialRunner.Cancelled(file);
                return item;
            }
        }
    }

    /// <param name="item">The file.</param>
    /// <param name="prepaid">Whether its batch already holds the budget for it as a small file (see <see cref="ReadBatchAsync"/>).</param>
    private async Task ReadOnceAsync(WorkItem item, bool prepaid)
    {
        var file = item.File;
        // Only a regular file is ever read: the opener checks what it opened before returning (see RegularFile).
        SafeFileHandle? handle = RegularFile.OpenRead(file.FullPath, out var openedLength);
        try
        {
            // A small file is budgeted by the walk's size (its batch prepaid that); one that grew since is caught
            // below when it fills its buffer, and then streams like a large one.
            var length = file.Length <= chunkSize ? file.Length : openedLength;
            var hasOutput = item.OutputPath is not null;
            if (length <= chunkSize)
            {
                // Room for one byte more than the size seen, so a file that grew since is noticed. The pool hands
                // out powers of two, so that is what the budget counts; the output is expected to be about as large.
                var wanted = (int)length + 1;
                var needed = SmallReservation(length, hasOutput);
                if (!prepaid)
                {
                    await budget.AcquireAsync(needed, cancellationToken).ConfigureAwait(false);
                    item.Reserved = needed;
                }

                item.OutputPrepaid = hasOutput ? needed / 2 : 0;
                var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(wanted);
                item.Input = buffer;

                // A small file is read synchronously, here on the I/O stage's own thread: on Linux an "asynchronous"
                // file read is this same read queued to the thread pool, and that hop cost more than the read.
                var limit = Math.Min(buffer.Length, chunkSize + 1);
                var n = SequentialRunner.ReadFull(handle, buffer.AsSpan(0, limit), 0, length);
                if (n < limit && n <= chunkSize)
                {
                    item.InputLength = n;
                    counters?.Read(n);
                    return;
                }

                // It filled the buffer, so it grew since the walk: stream it like any large file.
                await item.ReleaseAllAsync().ConfigureAwait(false);
            }

            var output = hasOutput ? (long)SpillThreshold : 0;
            if (prepaid)
            {
                // Inside a batch that already holds memory: never wait here (see ReadBatchAsync).
                budget.Add(StreamReservation + output);
            }
            else
            {
                await budget.AcquireAsync(StreamReservation + output, cancellationToken).ConfigureAwait(false);
            }

            item.Reserved = StreamReservation;
            item.OutputReserved = output;
            item.OutputPrepaid = output;
            item.Streamed = new ChunkReader(handle, chunkSize, ReadAhead, cancellationToken);
            handle = null;
        }
        finally
        {
            handle?.Dispose();
        }
    }

    public async Task<WorkItem> TransformAsync(WorkItem item)
    {
        if (item.Result is not null)
        {
            return item;
        }

        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var processor = transform.CreateProcessor(item.File);
            var output = NewOutput(item);
            item.Output = output;
            if (item.Streamed is null)
            {
                // The common case: the whole file is in memory and the work is pure CPU on this pool thread.
                if (item.InputLength > 0)
                {
                    processor.Append(item.Input.AsSpan(0, item.InputLength), output);
                }

                item.BytesIn = item.InputLength;
                item.ReleaseInput();
                item.Artifact = processor.Complete(output);
            }
            else
            {
                await StreamAsync(item, processor, output).ConfigureAwait(false);
            }

            return item;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await item.ReleaseAllAsync().ConfigureAwait(false);
            item.Result = SequentialRunner.Cancelled(item.File);
            return item;
        }
        catch (Exception ex)
        {
            await item.ReleaseAllAsync().ConfigureAwait(false);
            item.Result = Fail(item.File, FileErrors.Describe(ex), item.Started);
            return item;
        }
    }

    public async Task<FileResult> WriteAsync(WorkItem item)
    {
        try
        {
            if (item.Result is { } early)
            {
                return early;
            }

            cancellationToken.ThrowIfCancellationRequested();
            long bytesOut = 0;
            var tail = item.Output?.WrittenMemory ?? ReadOnlyMemory<byte>.Empty;
            if (item.PendingWrite is { } pending)
            {
                await pending.WriteAsync(tail, cancellationToken).ConfigureAwait(false);
                await pending.CommitAsync(cancellationToken).ConfigureAwait(false);
                bytesOut = pending.BytesWritten;
            }
            else if (item.OutputPath is { } outputPath)
            {
                // Whole small outputs are written synchronously on the writer stage's thread, for the same reason
                // small inputs are read so: the thread-pool hop of an emulated asynchronous write costs more.
                guard.Check(outputPath);
                bytesOut = AtomicFileWriter.WriteAll(outputPath, tail.Span);
            }

            return new FileResult(item.File.RelativePath, FileStatus.Succeeded, item.BytesIn, bytesOut, Stopwatch.GetElapsedTime(item.Started), null, item.Artifact)
            {
                Length = item.File.Length,
                LastWriteTimeUtc = item.File.LastWriteTimeUtc,
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return SequentialRunner.Cancelled(item.File);
        }
        catch (Exception ex)
        {
            return Fail(item.File, FileErrors.Describe(ex), item.Started);
        }
        finally
        {
            await item.ReleaseAllAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Budget for a small file: its input buffer (the pool's power of two), and as much again for the output if it has one.</summary>
    private long SmallReservation(long length, bool hasOutput)
    {
        var rounded = (long)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(length + 1, 16, chunkSize + 1));
        return hasOutput ? 2 * rounded : rounded;
    }

    /// <summary>
    /// An output buffer that spills to the item's output file once it holds two chunks, so memory stays bounded
    /// even when a transform's output is far larger than its input. Spilling is synchronous, on this CPU stage:
    /// it only happens for outputs that outgrow the buffer.
    /// </summary>
    private PooledBufferWriter NewOutput(WorkItem item)
    {
        var output = new PooledBufferWriter(budget) { Prepaid = item.OutputPrepaid };
        if (item.OutputPath is { } outputPath)
        {
            output.SpillThreshold = SpillThreshold;
            output.Spill = bytes => (item.PendingWrite ??= CreateWriter(outputPath)).Write(bytes);
        }

        return output;
    }

    /// <summary>A file larger than one chunk: its reader reads ahead while this stage computes; full output buffers are written as they fill.</summary>
    private async Task StreamAsync(WorkItem item, IFileProcessor processor, PooledBufferWriter output)
    {
        var reader = item.Streamed!;
        if (item.OutputPath is { } outputPath)
        {
            item.PendingWrite = CreateWriter(outputPath);
        }

        try
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } chunk)
            {
                counters?.Read(chunk.Length);
                try
                {
                    processor.Append(chunk.Buffer.AsSpan(0, chunk.Length), output);
                }
                finally
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(chunk.Buffer);
                }

                if (item.PendingWrite is { } pending && output.WrittenCount >= chunkSize)
                {
                    await pending.WriteAsync(output.WrittenMemory, cancellationToken).ConfigureAwait(false);
                    output.Clear();
                }
            }

            item.Artifact = processor.Complete(output);
            item.BytesIn = reader.BytesRead;
        }
        finally
        {
            item.Streamed = null;
            await reader.DisposeAsync().ConfigureAwait(false);
            item.ReleaseReservation();
        }
    }
}
