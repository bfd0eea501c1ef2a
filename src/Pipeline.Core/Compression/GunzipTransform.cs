using System.Buffers;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Transforms;

namespace Pipeline.Compression;

/// <summary>
/// Decompresses each <c>*.gz</c> file, streamed, to its relative path without <c>.gz</c>. Concatenated members
/// decompress completely, as <c>gzip -d</c> does; trailing zero padding is ignored. A truncated or corrupt file,
/// or one with garbage after its last member, fails with the reason and leaves no output.
/// </summary>
public sealed class GunzipTransform : IFileTransform, IConcatenatedAggregates
{
    /// <inheritdoc/>
    string IFileTransform.Name => "gunzip";

    /// <inheritdoc/>
    string IFileTransform.Fingerprint => "gunzip";

    /// <inheritdoc/>
    /// <remarks><c>a/b.txt.gz</c> becomes <c>a/b.txt</c>; a name without <c>.gz</c> (selected on purpose) gets <c>.out</c> appended.</remarks>
    string? IFileTransform.GetOutputPath(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        return relativePath.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) && relativePath.Length > 3 && relativePath[^4] != '/'
            ? relativePath[..^3]
            : relativePath + ".out";
    }

    /// <inheritdoc/>
    IFileProcessor IFileTransform.CreateProcessor(SourceFile file) => new Processor();

    /// <inheritdoc/>
    IReadOnlyList<AggregateOutput> IFileTransform.CreateAggregateOutputs(IReadOnlyList<FileResult> succeeded) => [];

    private sealed class Processor : IFileProcessor
    {
        private readonly NativeInflater _inflater = new();
        private long _input;

        public void Append(ReadOnlySpan<byte> chunk, IBufferWriter<byte> output)
        {
            _input += chunk.Length;
            _inflater.Write(chunk, output);
        }

        public object? Complete(IBufferWriter<byte> output)
        {
            if (_input == 0)
            {
                throw new InvalidDataException("empty file, not gzip data");
            }

            if (_inflater.IsIncomplete)
            {
                throw new InvalidDataException("truncated gzip data (the file ends inside a member)");
            }

            return null;
        }

        public void Dispose() => _inflater.Dispose();
    }
}
