using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using Pipeline.IO;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Transforms;

namespace Pipeline.Compression;

/// <summary>
/// Compresses each file, streamed, to <c>&lt;relative path&gt;.gz</c>: one standard gzip member that
/// <c>gzip -d</c> and <c>gzip -t</c> accept. The level is zlib's own 1-9 (the runtime's zlib-ng), so
/// level 6 is what <c>CompressionLevel.Optimal</c> means in .NET, 1 is <c>Fastest</c> and 9 is <c>SmallestSize</c>.
/// </summary>
/// <remarks>
/// With libdeflate (<see cref="Engine"/>), every piece is compressed whole by it and its blocks made to join (see
/// <c>Libdeflate.CompressJoinable</c>), a large file's chunks on every core at once, all in one member. With zlib-ng,
/// a file that fits one chunk is compressed as one deflate stream, and a larger one as pigz does it: each
/// chunk on its own, primed with the 32 KiB before it, ended with a sync flush, so that the chunks can be compressed
/// on every core at once and still join into one deflate stream, in one gzip member whose CRC-32 is combined from the
/// chunks' own. Both runners compress the same chunks the same way, so they write the same bytes; the output is a few
/// bytes per chunk larger than one stream's.
/// </remarks>
public sealed class GzipTransform : IFileTransform, IConcatenatedAggregates, IIndependentChunks
{
    /// <summary>The default level, as gzip's own: 6.</summary>
    public const int DefaultLevel = 6;

    /// <summary>Creates the transform.</summary>
    /// <param name="level">Compression level. Default: 6. Range: 1 (fastest) to 9 (smallest).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is out of range.</exception>
    public GzipTransform(int level = DefaultLevel)
        : this(level, Libdeflate.IsAvailable)
    {
    }

    /// <summary>Creates the transform on the engine asked for: libdeflate (which must be available) or the runtime's zlib-ng.</summary>
    internal GzipTransform(int level, bool libdeflate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 9);
        if (libdeflate && !Libdeflate.IsAvailable)
        {
            throw new InvalidOperationException("libdeflate is not installed here");
        }

        Level = level;
        _libdeflate = libdeflate;
    }

    private readonly bool _libdeflate;

    /// <summary>The compression level, 1 to 9.</summary>
    public int Level { get; }

    /// <summary>
    /// The deflate engine: <c>libdeflate</c> where the machine has it (loaded at run time, several times faster), the
    /// runtime's <c>zlib-ng</c> otherwise. Both write standard gzip that every gunzip reads, but not the same bytes.
    /// </summary>
    public string Engine => _libdeflate ? "libdeflate" : "zlib-ng";

    /// <summary>The engine a new <see cref="GzipTransform"/> uses on this machine (see <see cref="Engine"/>).</summary>
    internal static string DefaultEngine => Libdeflate.IsAvailable ? "libdeflate" : "zlib-ng";

    /// <inheritdoc/>
    string IFileTransform.Name => "gzip";

    /// <inheritdoc/>
    /// <remarks>The engine is part of it: the bytes differ between engines, so a resume with the other one redoes every file.</remarks>
    string IFileTransform.Fingerprint => _libdeflate ? $"gzip:{Level}:libdeflate" : $"gzip:{Level}";

    /// <inheritdoc/>
    string? IFileTransform.GetOutputPath(string relativePath) => relativePath + ".gz";

    /// <inheritdoc/>
    IFileProcessor IFileTransform.CreateProcessor(SourceFile file) => _libdeflate ? new WholeMember(new ChunkedMember(Level, libdeflate: true)) : new Processor(Level);

    /// <inheritdoc/>
    IReadOnlyList<AggregateOutput> IFileTransform.CreateAggregateOutputs(IReadOnlyList<FileResult> succeeded) => [];

    /// <inheritdoc/>
    bool IIndependentChunks.Splits(int chunkSize, bool hasOutput) => hasOutput;

    /// <inheritdoc/>
    /// <remarks>libdeflate takes no preset dictionary: its chunks start afresh (a few bytes larger for it, a 32 KiB pass less).</remarks>
    int IIndependentChunks.HistoryLength => _libdeflate ? 0 : NativeDeflater.Window;

    /// <inheritdoc/>
    IChunkProcessor IIndependentChunks.CreateChunkProcessor(SourceFile file) => new ChunkedMember(Level, _libdeflate);

    private sealed class Processor : IFileProcessor
    {
        // A gzip member of no data: header (no name, mtime 0, OS Unix, as .NET writes it), an empty final
        // block, CRC-32 0 and size 0. .NET writes nothing at all for empty input, which gzip rejects.
        private static readonly byte[] EmptyMember = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0];

        private readonly BufferWriterStream _sink = new();
        private readonly GZipStream _gzip;
        private bool _any;
        private bool _ended;

        public Processor(int level)
        {
            _gzip = new GZipStream(_sink, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true);
        }

        public void Append(ReadOnlySpan<byte> chunk, IBufferWriter<byte> output)
        {
            _sink.Target = output;
            _gzip.Write(chunk);
            _any |= chunk.Length > 0;
        }

        public object? Complete(IBufferWriter<byte> output)
        {
            _sink.Target = output;
            End();
            if (!_any)
            {
                output.Write(EmptyMember);
            }

            return null;
        }

        public void Dispose()
        {
            // Closing after an abandoned file must not write into a buffer nobody owns any more.
            _sink.Target = new ArrayBufferWriter<byte>();
            End();
        }

        /// <summary>Ends the stream, which frees its native memory (once: <see cref="Complete"/> and <see cref="Dispose"/> both call this).</summary>
        private void End()
        {
            if (!_ended)
            {
                _ended = true;
                _gzip.Dispose();
                NativeHeap.StreamEnded();
            }
        }
    }

    /// <summary>A file read whole (or appended piece by piece) made into one member of joinable pieces: libdeflate's way.</summary>
    private sealed class WholeMember(ChunkedMember member) : IFileProcessor
    {
        private bool _begun;

        public void Append(ReadOnlySpan<byte> chunk, IBufferWriter<byte> output)
        {
            BeginOnce(output);
            if (!chunk.IsEmpty)
            {
                member.Join(member.Process(0, [], chunk, output));
            }
        }

        public object? Complete(IBufferWriter<byte> output)
        {
            BeginOnce(output);
            return member.Complete(output);
        }

        public void Dispose()
        {
        }

        private void BeginOnce(IBufferWriter<byte> output)
        {
            if (!_begun)
            {
                _begun = true;
                member.Begin(output);
            }
        }
    }

    /// <summary>
    /// One gzip member made of chunks compressed apart: the header, each chunk's deflate blocks ending at a byte
    /// boundary, an empty final block, and the trailer with the CRC-32 combined from the chunks' and the length.
    /// </summary>
    private sealed class ChunkedMember(int level, bool libdeflate) : IChunkProcessor
    {
        // An empty block of fixed codes with the final bit set: BFINAL 1, BTYPE 01, end-of-block 0000000.
        private static readonly byte[] FinalBlock = [0x03, 0x00];

        private uint _crc;
        private long _length;

        public void Begin(IBufferWriter<byte> output)
        {
            // The header zlib writes: no name, mtime 0, OS Unix; the extra flags say "fastest" or "best" as zlib's do.
            byte flags = level switch { 9 => 2, 1 => 4, _ => 0 };
            output.Write<byte>([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, flags, 3]);
        }

        public ChunkCheck Process(long offset, ReadOnlySpan<byte> history, ReadOnlySpan<byte> chunk, IBufferWriter<byte> output)
        {
            if (libdeflate)
            {
                Libdeflate.CompressJoinable(level, chunk, output);
                return new ChunkCheck(Crc32.Append(0, chunk), chunk.Length);
            }

            using (var deflater = new NativeDeflater(level))
            {
                deflater.Prime(history);
                deflater.Compress(chunk, output);
            }

            return new ChunkCheck(Crc32.Append(0, chunk), chunk.Length);
        }

        public void Join(ChunkCheck check)
        {
            _crc = Crc32.Combine(_crc, check.Checksum, check.Length);
            _length += check.Length;
        }

        public object? Complete(IBufferWriter<byte> output)
        {
            output.Write(FinalBlock);
            var trailer = output.GetSpan(8);
            BinaryPrimitives.WriteUInt32LittleEndian(trailer, _crc);
            BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], unchecked((uint)_length));
            output.Advance(8);
            return null;
        }
    }
}
