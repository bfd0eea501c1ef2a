namespace Pipeline.Running.Engine;

/// <summary>
/// A file's output as a write-only stream for a transform that waits: each write goes on to the file's atomic writer
/// (see <see cref="FileJob"/>) as it comes, so an output of any size is never held, and a slow disk slows the writer.
/// </summary>
internal sealed class FileOutputStream(Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write) : IO.WriteOnlyStream
{
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        buffer.IsEmpty ? ValueTask.CompletedTask : write(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("write the output asynchronously (WriteAsync, CopyToAsync)");

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
