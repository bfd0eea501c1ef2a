using System.Buffers;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Transforms;

namespace Pipeline.Tests.Support;

/// <summary>
/// A transform a library user might write: one output file per input (each byte XOR 0x5A, then an 8-byte
/// length trailer). It exercises the per-file writer and streamed output, which <c>hash</c> does not use.
/// </summary>
public sealed class XorTransform : IFileTransform
{
    public string Name => "xor";

    public string Fingerprint => "xor:5a";

    public string? GetOutputPath(string relativePath) => relativePath + ".xor";

    public IFileProcessor CreateProcessor(SourceFile file) => new Processor();

    public IReadOnlyList<AggregateOutput> CreateAggregateOutputs(IReadOnlyList<FileResult> succeeded) =>
        [new AggregateOutput("count.txt", System.Text.Encoding.ASCII.GetBytes(succeeded.Count + "\n"))];

    public static byte[] Expected(byte[] input)
    {
        var output = new byte[input.Length + 8];
        for (var i = 0; i < input.Length; i++)
        {
            output[i] = (byte)(input[i] ^ 0x5A);
        }

        BitConverter.TryWriteBytes(output.AsSpan(input.Length), (long)input.Length);
        return output;
    }

    private sealed class Processor : IFileProcessor
    {
        private long _length;

        public void Append(ReadOnlySpan<byte> chunk, IBufferWriter<byte> output)
        {
            var span = output.GetSpan(chunk.Length);
            for (var i = 0; i < chunk.Length; i++)
            {
                span[i] = (byte)(chunk[i] ^ 0x5A);
            }

            output.Advance(chunk.Length);
            _length += chunk.Length;
        }

        public object? Complete(IBufferWriter<byte> output)
        {
            BitConverter.TryWriteBytes(output.GetSpan(8), _length);
            output.Advance(8);
            return null;
        }

        public void Dispose()
        {
        }
    }
}
