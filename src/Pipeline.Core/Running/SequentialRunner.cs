using System.Buffers;
using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using Pipeline.IO;
using Pipeline.Safety;
using Pipeline.Sources;
using Pipeline.Transforms;
using Pipeline.Unattended;

namespace Pipeline.Running;

/// <summary>
/// The baseline: the same transform and the same output bytes as <see cref="FilePipeline"/>, but one file
/// at a time, synchronous reads and writes, on the calling thread. A comparison of the two measures
/// scheduling and overlap, not two algorithms.
/// </summary>
public static class SequentialRunner
{
    /// <summary>Runs <paramref name="transform"/> over the selected files, one after another.</summary>
    /// <returns>The summary; <see cref="RunSummary.Cancelled"/> is set if <paramref name="cancellationToken"/> stopped it.</returns>
    /// <exception cref="PipelineOptionsException">The options are invalid; nothing was touched.</exception>
    public static RunSummary Run(IFileTransform transform, PipelineOptions options, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var session = RunSession.Start(transform, options);
        var retry = RetryPolicy.From(options);
        var stopwatch = Stopwatch.StartNew();
        var results = new List<FileResult>();
        var buffer = ArrayPool<byte>.Shared.Rent(options.ChunkSize);
        long failed = 0, bytesDone = 0;
        var stoppedByErrors = false;
        try
        {
            // Cancellation is checked between files below, so the walk itself needs no token.
            foreach (var file in session.Inputs(CancellationToken.None))
            {
                var result = session.TryResume(file)
                    ?? (cancellationToken.IsCancellationRequested ? Cancelled(file) : ProcessWithRetries(transform, options, session.Guard, file, buffer, retry, cancellationToken));
                results.Add(result);
                session.Record(result);
                if (result.Status == FileStatus.Failed)
                {
                    failed++;
                }

                bytesDone += result.BytesIn;
                progress?.Report(new RunProgress(results.Count, false, results.Count, failed, bytesDone, stopwatch.Elapsed, result, bytesDone, bytesDone));
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                if (failed >= options.MaxErrors)
                {
                    stoppedByErrors = true;
                    break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        results.Sort(ResultOrder.Instance);
        var cancelled = cancellationToken.IsCancellationRequested;
        if (!cancelled && !stoppedByErrors)
        {
            foreach (var output in transform.CreateAggregateOutputs(Succeeded(results)))
            {
                var path = OutputPath(options, output.RelativePath);
                session.Guard.Check(path);
                AtomicFileWriter.WriteAll(path, output.Content.Span);
            }
        }

        return new RunSummary(results, stopwatch.Elapsed, cancelled) { StoppedByErrorLimit = stoppedByErrors, TempFilesRemoved = session.TempFilesRemoved };
    }

    internal static IReadOnlyList<FileResult> Succeeded(List<FileResult> sorted) =>
        sorted.FindAll(r => r.Status is FileStatus.Succeeded or FileStatus.Skipped);

    internal static string OutputPath(PipelineOptions options, string relativeOutput) =>
        Path.Join(options.OutputRoot, relativeOutput);

    internal static FileResult Cancelled(SourceFile file) =>
        new(file.RelativePath, FileStatus.Cancelled, 0, 0, TimeSpan.Zero) { Length = file.Length, LastWriteTimeUtc = file.LastWriteTimeUtc };

    internal static FileResult Failed(SourceFile file, string reason, long started) =>
        new(file.RelativePath, FileStatus.Failed, 0, 0, Stopwatch.GetElapsedTime(started), reason) { Length = file.Length, LastWriteTimeUtc = file.LastWriteTimeUtc };

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
            var n = RandomAccess.Read(handle, buffer[total..], offset + total);
            total += n;
            if (n == 0 || (n < asked && offset + total >= knownEnd))
            {
                break;
            }
        }

        return total;
    }

    private static FileResult ProcessWithRetries(IFileTransform transform, PipelineOptions options, OutputGuard guard, SourceFile file, byte[] buffer, RetryPolicy retry, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var result = ProcessFile(transform, options, guard, file, buffer, cancellationToken, out var error);
            if (error is null || attempt >= retry.Retries || !TransientErrors.IsTransient(error) || retry.Wait(attempt, cancellationToken))
            {
                return cancellationToken.IsCancellationRequested && result.Status == FileStatus.Failed ? Cancelled(file) : result;
            }
        }
    }

    private static FileResult ProcessFile(IFileTransform transform, PipelineOptions options, OutputGuard guard, SourceFile file, byte[] buffer, CancellationToken cancellationToken, out Exception? error)
    {
        error = null;
        var started = Stopwatch.GetTimestamp();
        if (file.EnumerationError is { } enumerationError)
        {
            return Failed(file, enumerationError, started);
        }

        var outputPath = transform.GetOutputPath(file.RelativePath);
        AtomicFileWriter? writer = null;
        try
        {
            using var handle = RegularFile.OpenRead(file.FullPath, out var length);
            using var processor = transform.CreateProcessor(file);
            using var output = new PooledBufferWriter();
            if (outputPath is not null)
            {
                var target = OutputPath(options, outputPath);
                guard.Check(target);
                writer = AtomicFileWriter.Create(target, asynchronous: false);
                output.SpillThreshold = 2 * options.ChunkSize;
                output.Spill = writer.Write;
            }

            var chunk = buffer.AsSpan(0, options.ChunkSize);
            long offset = 0;
            int n;
            while ((n = ReadFull(handle, chunk, offset, length)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                processor.Append(chunk[..n], output);
                offset += n;
                if (output.WrittenCount >= options.ChunkSize)
                {
                    writer?.Write(output.WrittenSpan);
                    output.Clear();
                }

                if (n < chunk.Length)
                {
                    break; // ReadFull stops short only at the end
                }
            }

            var artifact = processor.Complete(output);
            writer?.Write(output.WrittenSpan);
            writer?.Commit();
            return new FileResult(file.RelativePath, FileStatus.Succeeded, offset, writer?.BytesWritten ?? 0, Stopwatch.GetElapsedTime(started), null, artifact)
            {
                Length = file.Length,
                LastWriteTimeUtc = file.LastWriteTimeUtc,
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Cancelled(file);
        }
        catch (Exception ex)
        {
            error = ex;
            return Failed(file, FileErrors.Describe(ex), started);
        }
        finally
        {
            writer?.Dispose();
        }
    }
}
