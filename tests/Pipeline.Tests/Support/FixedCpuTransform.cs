using System.Buffers;
using System.Security.Cryptography;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Transforms;

namespace Pipeline.Tests.Support;

/// <summary>
/// A transform whose cost per file is a fixed amount of CPU work, whatever the file holds: <see cref="Iterations"/>
/// SHA-256 digests of a 64 KiB block (seeded by the file's bytes, so the output depends on the input). Its output is
/// the last digest, in <c>&lt;path&gt;.cpu</c>. With no I/O to overlap, the pipeline can at best divide its time by the cores.
/// </summary>
public sealed class FixedCpuTransform(int iterations) : IFileTransform
{
    public int Iterations => iterations;

    public string Name => "fixed-cpu";

    public string Fingerprint => $"fixed-cpu:{iterations}";

    public string? GetOutputPath(string relativePath) => relativePath + ".cpu";

    public IFileProcessor CreateProcessor(SourceFile file) => new Processor(iterations);

    public IReadOnlyList<AggregateOutput> CreateAggregateOutputs(IReadOnlyList<FileResult> succeeded) => [];

    private sealed class Processor(int iterations) : IFileProcessor
    {
        private readonly IncrementalHash _seed = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public void Append(ReadOnlySpan<byte> chunk, IBufferWriter<byte> output) => _seed.AppendData(chunk);

        public object? Complete(IBufferWriter<byte> output)
        {
            var block = new byte[64 * 1024];
            Span<byte> digest = stackalloc byte[32];
            _seed.GetHashAndReset(digest);
            for (var i = 0; i < iterations; i++)
            {
                digest.CopyTo(block);
                SHA256.HashData(block, digest);
            }

            digest.CopyTo(output.GetSpan(32));
            output.Advance(32);
            return null;
        }

        public void Dispose() => _seed.Dispose();
    }
}
