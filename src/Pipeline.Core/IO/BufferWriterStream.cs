using System.Buffers;

namespace Pipeline.IO;

/// <summary>A write-only stream into an <see cref="IBufferWriter{T}"/> that can be swapped between writes.</summary>
internal sealed class BufferWriterStream : WriteOnlyStream
{
    public IBufferWriter<byte>? Target { get; set; }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var target = Target ?? throw new InvalidOperationException("no output target");
        target.Write(buffer);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);
}
