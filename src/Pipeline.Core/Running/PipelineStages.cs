using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using Pipeline.IO;
using Pipeline.Sources;
using Pipeline.Transforms;

namespace Pipeline.Running;

/// <summary>
/// The work each of the three blocks does for one file. Every delegate turns any failure into a result:
/// Dataflow would silently drop an item whose delegate throws <see cref="OperationCanceledException"/>,
/// and a bad file must fail alone, not fault the pipeline.
/// </summary>
internal sealed class PipelineStages(IFileTransform transform, string outputRoot, int chunkSize, CancellationToken cancellationToken)
{
    /// <summary>Chunks a streamed file may have read ahead of the CPU stage.</summary>
    private const int ReadAhead = 2;

    public async Task<WorkItem> ReadAsync(SourceFile file)
    {
        var item = new WorkItem(file, Stopwatch.GetTimestamp());
        if (file.EnumerationError is { } enumerationError)
        {
            item.Result = SequentialRunner.Failed(file, enumerationError, item.Started);
            return item;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            item.Result = SequentialRunner.Cancelled(file);
            return item;
        }

        SafeFileHandle? handle = null;
        try
        {
            handle = File.OpenHandle(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
            var length = RandomAccess.GetLength(handle);
            if (length <= chunkSize)
            {
                // Room for one byte more than the size seen, so a file that grew since is noticed.
                var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent((int)length + 1);
                item.Input = buffer;
                var n = await ChunkReader.ReadFullAsync(handle, buffer.AsMemory(0, Math.Min(buffer.Length, chunkSize + 1)), 0, cancellationToken).ConfigureAwait(false);
                if (n <= chunkSize)
                {
                    item.InputLength = n;
                    return item;
                }

                // It grew past one chunk: stream it like any large file.
                item.ReleaseInput();
            }

            item.Streamed = new ChunkReader(handle, chunkSize, ReadAhead, cancellationToken);
            handle = null;
            return item;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await item.ReleaseAllAsync().ConfigureAwait(false);
            item.Result = SequentialRunner.Cancelled(file);
            return item;
        }
        catch (Exception ex)
        {
            await item.ReleaseAllAsync().ConfigureAwait(false);
            item.Result = SequentialRunner.Failed(file, FileErrors.Describe(ex), item.Started);
            return item;
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
            if (item.Streamed is null)
            {
                // The common case: the whole file is in memory and the work is pure CPU on this pool thread.
                var output = new PooledBufferWriter();
                item.Output = output;
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
                await StreamAsync(item, processor).ConfigureAwait(false);
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
            item.Result = SequentialRunner.Failed(item.File, FileErrors.Describe(ex), item.Started);
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
            if (item.PendingWrite is { } pending)
            {
                await pending.CommitAsync(cancellationToken).ConfigureAwait(false);
                bytesOut = pending.BytesWritten;
            }
            else if (transform.GetOutputPath(item.File.RelativePath) is { } relativeOutput)
            {
                var content = item.Output?.WrittenMemory ?? ReadOnlyMemory<byte>.Empty;
                bytesOut = await AtomicFileWriter.WriteAllAsync(Path.Join(outputRoot, relativeOutput), content, cancellationToken).ConfigureAwait(false);
            }

            return new FileResult(item.File.RelativePath, FileStatus.Succeeded, item.BytesIn, bytesOut, Stopwatch.GetElapsedTime(item.Started), null, item.Artifact)
            {
                Length = item.File.Length,
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return SequentialRunner.Cancelled(item.File);
        }
        catch (Exception ex)
        {
            return SequentialRunner.Failed(item.File, FileErrors.Describe(ex), item.Started);
        }
        finally
        {
            await item.ReleaseAllAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A file larger than one chunk: its reader reads ahead, this stage computes, and full output
    /// buffers are written while the next one fills, so the three overlap within the file too.
    /// </summary>
    private async Task StreamAsync(WorkItem item, IFileProcessor processor)
    {
        var reader = item.Streamed!;
        if (transform.GetOutputPath(item.File.RelativePath) is { } relativeOutput)
        {
            item.PendingWrite = AtomicFileWriter.Create(Path.Join(outputRoot, relativeOutput));
        }

        var filling = new PooledBufferWriter();
        var flushing = new PooledBufferWriter();
        var write = Task.CompletedTask;
        try
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } chunk)
            {
                try
                {
                    processor.Append(chunk.Buffer.AsSpan(0, chunk.Length), filling);
                }
                finally
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(chunk.Buffer);
                }

                if (filling.WrittenCount >= chunkSize)
                {
                    await write.ConfigureAwait(false);
                    (filling, flushing) = (flushing, filling);
                    filling.Clear();
                    write = item.PendingWrite?.WriteAsync(flushing.WrittenMemory, cancellationToken).AsTask() ?? Task.CompletedTask;
                }
            }

            item.Artifact = processor.Complete(filling);
            await write.ConfigureAwait(false);
            if (item.PendingWrite is { } pending)
            {
                await pending.WriteAsync(filling.WrittenMemory, cancellationToken).ConfigureAwait(false);
            }

            item.BytesIn = reader.BytesRead;
        }
        finally
        {
            try
            {
                await write.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Already seen above, or the file is being abandoned; the buffers can go back either way.
            }

            filling.Dispose();
            flushing.Dispose();
            item.Streamed = null;
            await reader.DisposeAsync().ConfigureAwait(false);
        }
    }
}
