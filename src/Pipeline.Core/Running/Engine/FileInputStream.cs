using System.Buffers;

namespace Pipeline.Running.Engine;

/// <summary>
/// A file's content as a read-only stream for a transform that waits (see <see cref="Transforms.IAsyncFileTransform"/>):
/// the bytes the reader already holds (a small file, read whole), or its chunks as the chunk source reads them (a large
/// one, read ahead while the transform waits). The chunk source checks at the end that the file did not change.
/// </summary>
internal sealed class FileInputStream(ReadOnlyMemory<byte> whole, IChunkSource? chunks, CancellationToken runToken) : Stream
{
    private ReadOnlyMemory<byte> _current = whole;
    private byte[]? _rented;
    private bool _ended = chunks is null;

    /// <summary>Bytes handed to the transform so far.</summary>
    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (_current.IsEmpty)
        {
            if (_ended)
            {
                return 0;
            }

            ReturnChunk();
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, runToken);
            if (await chunks!.ReadAsync(linked.Token).ConfigureAwait(false) is not { } chunk)
            {
                _ended = true;
                return 0;
            }

            _rented = chunk.Buffer;
            _current = chunk.Buffer.AsMemory(0, chunk.Length);
        }

        var n = Math.Min(buffer.Length, _current.Length);
        _current[..n].CopyTo(buffer);
        _current = _current[n..];
        BytesRead += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("read the content asynchronously (ReadAsync, CopyToAsync)");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ReturnChunk();
            _current = ReadOnlyMemory<byte>.Empty;
        }

        base.Dispose(disposing);
    }

    private void ReturnChunk()
    {
        if (_rented is { } rented)
        {
            _rented = null;
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
