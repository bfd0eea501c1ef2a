using System.Buffers;
using System.IO.Compression;
using System.Text;
using Pipeline.Sources;
using Pipeline.Transforms;

namespace Pipeline.Tests.Support;

/// <summary>What the gzip transform writes for a file, by its definition, without any runner; and what to compare it with.</summary>
public static class GzipReference
{
    private static readonly string[] Words = ["alpha", "beta", "gamma", "delta", "error", "request", "latency", "session", "chunk", "retry"];

    /// <summary>
    /// The transform's output: a file that fits one chunk through its file processor in one piece; a larger one chunk by
    /// chunk through its chunk processor, each chunk with the history taken straight from the input before it, joined in order.
    /// </summary>
    public static byte[] Expected(IFileTransform transform, string relativePath, byte[] input, int chunkSize)
    {
        var source = new SourceFile(relativePath, "/nonexistent/" + relativePath, input.Length, DateTime.UnixEpoch);
        var output = new ArrayBufferWriter<byte>();
        if (input.Length <= chunkSize || transform is not IIndependentChunks independent || !independent.Splits(chunkSize, hasOutput: true))
        {
            using var processor = transform.CreateProcessor(source);
            for (var offset = 0; offset < input.Length; offset += chunkSize)
            {
                processor.Append(input.AsSpan(offset, Math.Min(chunkSize, input.Length - offset)), output);
            }

            processor.Complete(output);
            return output.WrittenSpan.ToArray();
        }

        var chunks = independent.CreateChunkProcessor(source);
        chunks.Begin(output);
        for (var offset = 0; offset < input.Length; offset += chunkSize)
        {
            var history = input.AsSpan(Math.Max(0, offset - independent.HistoryLength), Math.Min(offset, independent.HistoryLength));
            var own = new ArrayBufferWriter<byte>();
            var check = chunks.Process(offset, history, input.AsSpan(offset, Math.Min(chunkSize, input.Length - offset)), own);
            output.Write(own.WrittenSpan);
            chunks.Join(check);
        }

        chunks.Complete(output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>One gzip stream of the whole input at <paramref name="level"/>, by the framework's GZipStream: what a file that fits one chunk gets.</summary>
    public static byte[] SingleStream(byte[] input, int level)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true))
        {
            gzip.Write(input);
        }

        return memory.ToArray();
    }

    /// <summary>Seeded text of words and numbers in lines, like a log: compresses about as well as real text.</summary>
    public static byte[] Text(int size, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder(size + 16);
        while (text.Length < size)
        {
            text.Append(random.Next(6) == 0 ? random.Next(100_000).ToString(System.Globalization.CultureInfo.InvariantCulture) : Words[random.Next(Words.Length)]);
            text.Append(random.Next(10) == 0 ? '\n' : ' ');
        }

        return Encoding.ASCII.GetBytes(text.ToString(0, size));
    }

    /// <summary>Seeded random bytes: incompressible.</summary>
    public static byte[] Random(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
