using System.Buffers;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Transforms;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Pipeline.Compression;

/// <summary>
/// Compresses each file, streamed, to <c>&lt;relative path&gt;.zst</c>: standard zstd frames with the content size
/// and a checksum, as the <c>zstd</c> command writes by default, which <c>zstd -d</c> and <c>zstd -t</c> accept.
/// The engine is ZstdSharp, the managed port of the reference library, so no native library is needed.
/// </summary>
/// <remarks>
/// A file that fits one chunk is one frame. A larger one is compressed as pzstd does it: each chunk as a frame of its
/// own, so that the chunks can be compressed on every core at once; <c>zstd -d</c> reads the frames as one stream. Both
/// runners compress the same chunks the same way, so they write the same bytes. A frame's window never exceeds its
/// chunk, so memory is bounded by the chunk size whatever the file size; the output is a little larger than one
/// frame's would be.
/// </remarks>
public sealed class ZstdTransform : IFileTransform, IConcatenatedAggregates, IIndependentChunks
{
    /// <summary>The default level, as the zstd command's own: 3.</summary>
    public const int DefaultLevel = 3;

    /// <summary>The highest level accepted: 19 (the zstd command's highest without its ultra mode).</summary>
    public const int MaxLevel = 19;

    /// <summary>Creates the transform.</summary>
    /// <param name="level">Compression level. Default: 3. Range: 1 (fastest) to 19 (smallest).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is out of range.</exception>
    public ZstdTransform(int level = DefaultLevel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, MaxLevel);
        Level = level;
    }

    /// <summary>The compression level, 1 to 19.</summary>
    public int Level { get; }

    /// <inheritdoc/>
    string IFileTransform.Name => "zstd";

    /// <inheritdoc/>
    /// <remarks>Names the engine too: another zstd implementation may write other (equally valid) bytes at the same level.</remarks>
    string IFileTransform.Fingerprint => $"zstd:{Level}:{Engine}";

    /// <summary>The engine that compresses: the managed port of zstd the library ships with.</summary>
    public static string Engine => "ZstdSharp";

    /// <inheritdoc/>
    string? IFileTransform.GetOutputPath(string relativePath) => relativePath + ".zst";

    /// <inheritdoc/>
    IFileProcessor IFileTransform.CreateProcessor(SourceFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new Processor(Level, file.Length);
    }

    /// <inheritdoc/>
    IReadOnlyList<AggregateOutput> IFileTransform.CreateAggregateOutputs(IReadOnlyList<FileResult> succeeded) => [];

    /// <inheritdoc/>
    /// <remarks>None: every chunk is a frame of its own.</remarks>
    int IIndependentChunks.HistoryLength => 0;

    /// <inheritdoc/>
    bool IIndependentChunks.Splits(int chunkSize, bool hasOutput) => hasOutput;

    /// <inheritdoc/>
    IChunkProcessor IIndependentChunks.CreateChunkProcessor(SourceFile file) => new Frames(Level);

    /// <summary>A compressor as the zstd command sets one up: the level, the content size in the header, a checksum.</summary>
    private static Compressor CreateCompressor(int level)
    {
        var compressor = new Compressor(level);
        compressor.SetParameter(ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
        return compressor;
    }

    /// <summary>One file that fits a chunk, as one frame, its size pledged so that the header holds it.</summary>
    private sealed class Processor : IFileProcessor
    {
        private const int OutputStep = 128 * 1024;

        private readonly Compressor _compressor;

        public Processor(int level, long length)
        {
            _compressor = CreateCompressor(level);
            _compressor.SetPledgedSrcSize((ulong)length);
        }

        public void Append(ReadOnlySpan<byte> chunk, IBufferWriter<byte> output)
        {
            while (!chunk.IsEmpty)
            {
                _ = _compressor.WrapStream(chunk, output.GetSpan(OutputStep), out var consumed, out var written, isFinalBlock: false);
                chunk = chunk[consumed..];
                output.Advance(written);
            }
        }

        public object? Complete(IBufferWriter<byte> output)
        {
            OperationStatus status;
            do
            {
                status = _compressor.FlushStream(output.GetSpan(OutputStep), out var written, isFinalBlock: true);
                output.Advance(written);
            }
            while (status == OperationStatus.DestinationTooSmall);

            return null;
        }

        public void Dispose() => _compressor.Dispose();
    }

    /// <summary>A streamed file: each chunk one frame, in file order.</summary>
    private sealed class Frames(int level) : IChunkProcessor
    {
        public void Begin(IBufferWriter<byte> output)
        {
        }

        public ChunkCheck Process(long offset, ReadOnlySpan<byte> history, ReadOnlySpan<byte> chunk, IBufferWriter<byte> output)
        {
            using var compressor = CreateCompressor(level);
            var span = output.GetSpan(Compressor.GetCompressBound(chunk.Length));
            output.Advance(compressor.Wrap(chunk, span));
            return new ChunkCheck(0, chunk.Length);
        }

        public void Join(ChunkCheck check)
        {
        }

        public object? Complete(IBufferWriter<byte> output) => null;
    }
}
