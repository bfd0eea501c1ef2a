using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Pipeline.Hashing;

/// <summary>
/// BLAKE3's compression function (the BLAKE3 paper, section 2.2), written once over a 32-bit "word" that is either one
/// <see cref="uint"/> (one block) or a <see cref="Vector{T}"/> of them (the same block position of several chunks at
/// once, one chunk per lane). The lanes are what make BLAKE3 fast: a chunk's 16 blocks depend on each other, but
/// different chunks do not, so 4 (SSE), 8 (AVX2) or more chunks are compressed for the price of one.
/// </summary>
internal static class Blake3Compression
{
    public const int BlockLength = 64;
    public const int ChunkLength = 1024;
    public const uint ChunkStart = 1;
    public const uint ChunkEnd = 2;
    public const uint Parent = 4;
    public const uint Root = 8;

    /// <summary>The initial chaining value (SHA-256's), the key of the default hash mode.</summary>
    public static ReadOnlySpan<uint> IV => [0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19];

    /// <summary>How many chunks <see cref="CompressChunks"/> takes at once on this machine: the widest vector it has.</summary>
    public static int Lanes { get; } = Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? Lanes512.Count : VectorLanes.Count;

    // The message word each G of each round takes: round 0 in order, each next round the previous one permuted by
    // BLAKE3's MSG_PERMUTATION (2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8).
    private static readonly byte[] Schedule = BuildSchedule();

    /// <summary>Compresses one block: <paramref name="cv"/> (8 words) in, the next chaining value (8 words) out.</summary>
    public static void Compress(Span<uint> cv, ReadOnlySpan<byte> block, ulong counter, uint blockLength, uint flags)
    {
        Span<ScalarWord> m = stackalloc ScalarWord[16];
        for (var w = 0; w < 16; w++)
        {
            m[w] = ScalarWord.Create(BinaryPrimitives.ReadUInt32LittleEndian(block[(w * 4)..]));
        }

        Span<ScalarWord> h = stackalloc ScalarWord[8];
        for (var i = 0; i < 8; i++)
        {
            h[i] = ScalarWord.Create(cv[i]);
        }

        Compress(h, m, ScalarWord.Create((uint)counter), ScalarWord.Create((uint)(counter >> 32)), ScalarWord.Create(blockLength), ScalarWord.Create(flags));
        for (var i = 0; i < 8; i++)
        {
            cv[i] = h[i].Value;
        }
    }

    /// <summary>The chaining value of a parent node: the two children's chaining values as one block.</summary>
    public static void CompressParent(ReadOnlySpan<uint> left, ReadOnlySpan<uint> right, uint flags, Span<uint> cv)
    {
        Span<byte> block = stackalloc byte[BlockLength];
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(block[(i * 4)..], left[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(block[(32 + (i * 4))..], right[i]);
        }

        IV.CopyTo(cv);
        Compress(cv, block, 0, BlockLength, Parent | flags);
    }

    /// <summary>
    /// The chaining values of <paramref name="count"/> (1 to <see cref="Lanes"/>) whole chunks that follow each other in
    /// <paramref name="chunks"/>, the first being chunk number <paramref name="firstCounter"/> of its input, written to
    /// <paramref name="cvs"/> (8 words a chunk). None of them may be the root (the only chunk of its input).
    /// </summary>
    public static void CompressChunks(ReadOnlySpan<byte> chunks, int count, ulong firstCounter, Span<uint> cvs)
    {
        // The lanes read through a pointer: what they may read is checked here, once.
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Lanes);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunks.Length, count * ChunkLength, nameof(chunks));
        ArgumentOutOfRangeException.ThrowIfLessThan(cvs.Length, count * 8, nameof(cvs));
        if (Lanes == Lanes512.Count && Avx512F.IsSupported)
        {
            CompressChunks<Lanes512>(chunks, count, firstCounter, cvs);
        }
        else
        {
            CompressChunks<VectorLanes>(chunks, count, firstCounter, cvs);
        }
    }

    private static unsafe void CompressChunks<T>(ReadOnlySpan<byte> chunks, int count, ulong firstCounter, Span<uint> cvs)
        where T : unmanaged, IBlake3Lanes<T>
    {
        var lanes = T.Count;
        Span<uint> lows = stackalloc uint[lanes];
        Span<uint> highs = stackalloc uint[lanes];
        Span<int> offsets = stackalloc int[lanes];
        for (var lane = 0; lane < lanes; lane++)
        {
            // Lanes past the last chunk repeat it: the same work as leaving them empty, and nothing is read past the end.
            var chunk = Math.Min(lane, count - 1);
            var counter = firstCounter + (ulong)chunk;
            lows[lane] = (uint)counter;
            highs[lane] = (uint)(counter >> 32);
            offsets[lane] = chunk * (ChunkLength / 4);
        }

        Span<T> h = stackalloc T[8];
        for (var i = 0; i < 8; i++)
        {
            h[i] = T.Create(IV[i]);
        }

        Span<T> m = stackalloc T[16];
        var counterLow = T.Load(lows);
        var counterHigh = T.Load(highs);
        var blockLength = T.Create(BlockLength);
        fixed (byte* start = chunks)
        {
            // Lane j of message word w is word w of the block of chunk j: the words of little-endian machines, which is
            // all CompressChunks is called on (Blake3Hasher checks).
            var words = (uint*)start;
            for (var block = 0; block < ChunkLength / BlockLength; block++)
            {
                for (var w = 0; w < 16; w++)
                {
                    m[w] = T.Gather(words + (block * 16) + w, offsets);
                }

                var flags = (block == 0 ? ChunkStart : 0) | (block == (ChunkLength / BlockLength) - 1 ? ChunkEnd : 0);
                Compress(h, m, counterLow, counterHigh, blockLength, T.Create(flags));
            }
        }

        Span<uint> lane0 = stackalloc uint[lanes];
        for (var i = 0; i < 8; i++)
        {
            h[i].Store(lane0);
            for (var lane = 0; lane < count; lane++)
            {
                cvs[(lane * 8) + i] = lane0[lane];
            }
        }
    }

    private static void Compress<T>(Span<T> h, ReadOnlySpan<T> m, T counterLow, T counterHigh, T blockLength, T flags)
        where T : struct, IBlake3Word<T>
    {
        T v0 = h[0], v1 = h[1], v2 = h[2], v3 = h[3], v4 = h[4], v5 = h[5], v6 = h[6], v7 = h[7];
        T v8 = T.Create(IV[0]), v9 = T.Create(IV[1]), v10 = T.Create(IV[2]), v11 = T.Create(IV[3]);
        T v12 = counterLow, v13 = counterHigh, v14 = blockLength, v15 = flags;
        ReadOnlySpan<byte> schedule = Schedule;
        for (var round = 0; round < 7; round++)
        {
            var s = schedule.Slice(round * 16, 16);
            G(ref v0, ref v4, ref v8, ref v12, m[s[0]], m[s[1]]);
            G(ref v1, ref v5, ref v9, ref v13, m[s[2]], m[s[3]]);
            G(ref v2, ref v6, ref v10, ref v14, m[s[4]], m[s[5]]);
            G(ref v3, ref v7, ref v11, ref v15, m[s[6]], m[s[7]]);
            G(ref v0, ref v5, ref v10, ref v15, m[s[8]], m[s[9]]);
            G(ref v1, ref v6, ref v11, ref v12, m[s[10]], m[s[11]]);
            G(ref v2, ref v7, ref v8, ref v13, m[s[12]], m[s[13]]);
            G(ref v3, ref v4, ref v9, ref v14, m[s[14]], m[s[15]]);
        }

        h[0] = v0 ^ v8;
        h[1] = v1 ^ v9;
        h[2] = v2 ^ v10;
        h[3] = v3 ^ v11;
        h[4] = v4 ^ v12;
        h[5] = v5 ^ v13;
        h[6] = v6 ^ v14;
        h[7] = v7 ^ v15;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G<T>(ref T a, ref T b, ref T c, ref T d, T x, T y)
        where T : struct, IBlake3Word<T>
    {
        a = a + b + x;
        d = T.RotateRight16(d ^ a);
        c += d;
        b = T.RotateRight12(b ^ c);
        a = a + b + y;
        d = T.RotateRight8(d ^ a);
        c += d;
        b = T.RotateRight7(b ^ c);
    }

    private static byte[] BuildSchedule()
    {
        ReadOnlySpan<byte> permutation = [2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8];
        var schedule = new byte[7 * 16];
        for (var i = 0; i < 16; i++)
        {
            schedule[i] = (byte)i;
        }

        for (var round = 1; round < 7; round++)
        {
            for (var i = 0; i < 16; i++)
            {
                schedule[(round * 16) + i] = schedule[((round - 1) * 16) + permutation[i]];
            }
        }

        return schedule;
    }
}
