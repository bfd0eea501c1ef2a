using System.Buffers;
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
public sealed class GzipTransform : IFileTransform, IConcatenatedAggregates
{
    /// <summary>The default level, as gzip's own: 6.</summary>
    public const int DefaultLevel = 6;

    /// <summary>Creates the transform.</summary>
    /// <param name="level">Compression level. Default: 6. Range: 1 (fastest) to 9 (smallest).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is out of range.</exception>
    public GzipTransform(int level = DefaultLevel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 9);
        Level = level;
    }

    /// <summary>The compression level, 1 to 9.</summary>
    public int Level { get; }

    /// <inheritdoc/>
    public string Name => "gzip";

    /// <inheritdoc/>
    public string Fingerprint => $"gzip:{Level}";

    /// <inheritdoc/>
    public string? GetOutputPath(string relativePath) => relativePath + ".gz";

    /// <inheritdoc/>
    public IFileProcessor CreateProcessor(SourceFile file) => new Processor(Level);

    /// <inheritdoc/>
    public IReadOnlyList<AggregateOutput> CreateAggregateOutputs(IReadOnlyList<FileResult> succeeded) => [];

    private sealed class Processor : IFileProcessor
    {
        // A gzip member of no data: header (no name, mtime 0, OS Unix, as .NET writes it), an empty final
        // block, CRC-32 0 and size 0. .NET writes nothing at all for empty input, which gzip rejects.
        private static readonly byte[] EmptyMember = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0];

        private readonly BufferWriterStream _sink = new();
        private readonly GZipStream _gzip;
        private bool _any;

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
            _gzip.Dispose();
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
            _gzip.Dispose();
        }
    }
}
