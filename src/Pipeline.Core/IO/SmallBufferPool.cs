using System.Buffers;
using System.Numerics;

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

    private readonly Stack<byte[]>[] _buckets = [.. Enumerable.Range(0, BitOperations.Log2(MaxLength / MinLength) + 1).Select(_ => new Stack<byte[]>())];
    private readonly Lock _lock = new();
    private long _retained;

    /// <summary>An array of at least <paramref name="minimumLength"/> bytes (a power of two, at least 16), not cleared.</summary>
    public byte[] Rent(int minimumLength)
    {
        if (minimumLength > MaxLength)
        {
            return ArrayPool<byte>.Shared.Rent(minimumLength);
        }

        var length = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(minimumLength, MinLength));
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

    private static int Bucket(int length) => BitOperations.Log2((uint)length) - BitOperations.Log2(MinLength);
}
