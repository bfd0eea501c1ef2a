using System.Buffers;
using Pipeline.IO;
using static Pipeline.Compression.NativeZlib;

namespace Pipeline.Compression;

/// <summary>
/// Raw deflate over the runtime's own zlib, for one independently compressed piece of a larger stream: primed with the
/// data that precedes the piece (so its matches may reach back into it, as with zlib's deflateSetDictionary), then
/// compressed and ended with a sync flush (an empty stored block), so that pieces compressed apart concatenate into one
/// valid deflate stream. Pieces never end the stream; the caller writes its final block.
/// </summary>
/// <remarks>
/// Priming stands in for deflateSetDictionary, which the runtime's library does not export: the preceding bytes are
/// compressed first and that output, which ends at a byte boundary after a sync flush, is dropped. What follows is
/// exactly what a stream primed with a dictionary writes: blocks whose distances may point up to 32 KiB back, into
/// bytes the decompressor already has from the previous piece. The cost is compressing those bytes once more.
/// </remarks>
internal sealed unsafe class NativeDeflater : IDisposable
{
    /// <summary>How far back deflate looks: the window of 2^15 bytes, and so the most history worth priming with.</summary>
    public const int Window = 32 * 1024;

    private const int RawWindowBits = -15;
    private const int DefaultMemLevel = 8;
    private const int OutputStep = 64 * 1024;

    private PalZStream _stream;
    private bool _initialized;

    /// <param name="level">zlib's level, 1 to 9.</param>
    public NativeDeflater(int level)
    {
        Check(DeflateInit2(ref _stream, level, method: 8, RawWindowBits, DefaultMemLevel, strategy: 0), "cannot start the deflate encoder");
        _initialized = true;
    }

    /// <summary>Feeds <paramref name="history"/> (at most <see cref="Window"/> bytes are of use) through the encoder and drops its output.</summary>
    public void Prime(ReadOnlySpan<byte> history)
    {
        if (history.IsEmpty)
        {
            return;
        }

        var scratch = ArrayPool<byte>.Shared.Rent(Window + 1024);
        try
        {
            var sink = new ScratchWriter(scratch);
            Compress(history[^Math.Min(history.Length, Window)..], sink);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>Compresses <paramref name="input"/> into <paramref name="output"/> and ends with a sync flush (a byte boundary).</summary>
    public void Compress(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        fixed (byte* start = input)
        {
            _stream.NextIn = (nint)start;
            _stream.AvailIn = (uint)input.Length;

            // With a sync flush, deflate has written everything once it returns with room to spare in the output.
            do
            {
                var span = output.GetSpan(OutputStep);
                fixed (byte* target = span)
                {
                    _stream.NextOut = (nint)target;
                    _stream.AvailOut = (uint)span.Length;
                    var code = Deflate(ref _stream, NativeZlib.Flush.Sync);
                    if (code is not (Code.Ok or Code.BufError))
                    {
                        throw new InvalidOperationException($"deflate failed with zlib code {(int)code} ({Message(_stream)})");
                    }

                    output.Advance(span.Length - (int)_stream.AvailOut);
                }
            }
            while (_stream.AvailOut == 0 || _stream.AvailIn > 0);

            _stream.NextIn = 0;
            _stream.NextOut = 0;
        }
    }

    public void Dispose()
    {
        if (_initialized)
        {
            _initialized = false;
            _ = DeflateEnd(ref _stream);
            NativeHeap.StreamEnded();
        }
    }

    /// <summary>Output that is thrown away, one buffer reused: the priming's.</summary>
    private sealed class ScratchWriter(byte[] buffer) : IBufferWriter<byte>
    {
        public void Advance(int count)
        {
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => buffer;

        public Span<byte> GetSpan(int sizeHint = 0) => buffer;
    }
}
