using System.Diagnostics;
using Pipeline.IO;
using Pipeline.Safety;
using Pipeline.Transforms;

namespace Pipeline.Running.Engine;

/// <summary>A file's life, continued: its output, held in a buffer that spills to the file, then committed atomically.</summary>
internal sealed partial class FileJob
{
    /// <summary>The writer's step: writes what is left of the output and renames it over the target. Frees the file either way.</summary>
    public async ValueTask<FileResult> CommitAsync()
    {
        try
        {
            if (Result is null)
            {
                Token.ThrowIfCancellationRequested();
                long bytesOut = 0;
                var tail = _output?.WrittenMemory ?? ReadOnlyMemory<byte>.Empty;
                if (_writer is { } writer)
                {
                    await WriteOutAsync(writer, tail).ConfigureAwait(false);
                    if (_run.Sequential)
                    {
                        writer.Commit();
                    }
                    else
                    {
                        await writer.CommitAsync(Token).ConfigureAwait(false);
                    }

                    bytesOut = _outputByPath ? new FileInfo(writer.TargetPath).Length : writer.BytesWritten;
                }
                else if (OutputPath is { } outputPath)
                {
                    // Whole small outputs are written synchronously on the writer's thread: on Linux an "asynchronous"
                    // file write is the same write queued to the thread pool, and that hop costs more than the write.
                    _run.Guard.Check(outputPath);
                    bytesOut = AtomicFileWriter.WriteAll(outputPath, tail.Span, OutputAccess.Of(File.Node));
                }

                Result = new FileResult(File.RelativePath, FileStatus.Succeeded, _bytesIn, bytesOut, Stopwatch.GetElapsedTime(Started), null, _artifact)
                {
                    Length = File.Length,
                    LastWriteTimeUtc = File.LastWriteTimeUtc,
                };
            }
        }
        catch (Exception ex)
        {
            await AbandonAsync(ex).ConfigureAwait(false);
        }
        finally
        {
            await DisposeAsync().ConfigureAwait(false);
        }

        Result!.Sequence = File.Sequence;
        return Result;
    }

    /// <summary>
    /// An output buffer that spills to the output file once it holds two chunks, so memory stays bounded even when a
    /// transform's output is far larger than its input. Spilling is synchronous, on the CPU step: it only happens for
    /// outputs that outgrow the buffer.
    /// </summary>
    private PooledBufferWriter NewOutput()
    {
        var output = new PooledBufferWriter(_lease) { Prepaid = _outputPrepaid };
        if (OutputPath is { } outputPath)
        {
            output.SpillThreshold = _run.SpillThreshold;
            output.Spill = bytes => (_writer ??= CreateWriter(outputPath)).Write(bytes);
        }

        return output;
    }

    /// <summary>Opens the output, after the guard has checked its path (see <see cref="OutputGuard"/>).</summary>
    private AtomicFileWriter CreateWriter(string outputPath)
    {
        _run.Guard.Check(outputPath);
        return AtomicFileWriter.Create(outputPath, asynchronous: !_run.Sequential, OutputAccess.Of(File.Node));
    }

    /// <summary>Writes to the output; nothing where the file has none (a digest's chunks).</summary>
    private async ValueTask WriteOutAsync(AtomicFileWriter? writer, ReadOnlyMemory<byte> bytes)
    {
        if (writer is null)
        {
            return;
        }

        if (_run.Sequential)
        {
            writer.Write(bytes.Span);
        }
        else
        {
            await writer.WriteAsync(bytes, Token).ConfigureAwait(false);
        }
    }
}
