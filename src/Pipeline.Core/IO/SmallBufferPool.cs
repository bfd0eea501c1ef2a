using System.Buffers;

namespace Pipeline.IO;

/// <summary>
/// The buffers a run reads small files into, kept for the run's life. The shared pool keeps 32 arrays of a size per
/// core, and a pipeline holds a few hundred small files between its reader and its CPU stage (batches of 32, a few
/// batches deep), so most of those buffers would be new arrays, garbage a moment later: a third of all a check of
/// 20,000 small files allocated. Keeps at most <c>retainedLimit</c> bytes of returned arrays; more goes to the GC.
/// Arrays above <see cref="MaxLength"/> come from, and go back to, the shared pool.
/// </summary>
internal sealed class SmallBufferPool(long retainedLimit)
{
    /// <summary>The longest array this pool keeps: 64 KiB.</summary>
    public const int MaxLength = 64 * 1024;

    private const int MinLength = 16;

    private readonly Stack<byte[]>[] _buckets = NewBuckets();
    private readonly Lock _lock = new();
    private long _retained;

    /// <summary>An array of at least <paramref name="minimumLength"/> bytes (a power of two, at least 16), not cleared.</summary>
    public byte[] Rent(int minimumLength)
    {
        if (minimumLength > MaxLength)
        {
            return ArrayPool<byte>.Shared.Rent(minimumLength);
        }

        var length = MinLength;
        while (length < minimumLength)
        {
            length <<= 1;
        }

        lock (_lock)
        {
            if (_buckets[Bucket(length)].TryPop(out var kept))
            {
                _retained -= kept.Length;
                return kept;
            }
        }

        return GC.AllocateUninitializedArray<byte>(length);
    }

    /// <summary>Takes back an array from <see cref="Rent"/>.</summary>
    public void Return(byte[] array)
    {
        if (array.Length > MaxLength)
        {
            ArrayPool<byte>.Shared.Return(array);
            return;
        }

        lock (_lock)
        {
            if (_retained + array.Length <= retainedLimit)
            {
                _buckets[Bucket(array.Length)].Push(array);
                _retained += array.Length;
            }
        }
    }

    /// <summary>The bucket of a power of two from <see cref="MinLength"/> to <see cref="MaxLength"/>: its log2, less MinLength's.</summary>
    /// <remarks>Counted, like the rounding in <see cref="Rent"/>: with <see cref="System.Numerics.BitOperations"/> (Log2,
    /// RoundUpToPowerOf2) this machine's start JIT-compiled Rent and Return every time instead of using their ahead-of-time code.</remarks>
    private static int Bucket(int length)
    {
        var bucket = 0;
        for (var size = MinLength; size < length; size <<= 1)
        {
            bucket++;
        }

        return bucket;
    }

    private static Stack<byte[]>[] NewBuckets()
    {
        var buckets = new Stack<byte[]>[Bucket(MaxLength) + 1];
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = new Stack<byte[]>();
        }

        return buckets;
    }
}
