using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Pipeline.Hashing;

/// <summary>What BLAKE3's compression needs of a 32-bit word: so that one copy of it serves one block and many lanes.</summary>
internal interface IBlake3Word<T>
    where T : struct, IBlake3Word<T>
{
    static abstract T Create(uint value);

    // One member per distance the compression rotates by, each small enough to be inlined 56 times into one compression.
    static abstract T RotateRight16(T value);

    static abstract T RotateRight12(T value);

    static abstract T RotateRight8(T value);

    static abstract T RotateRight7(T value);

    static abstract T operator +(T left, T right);

    static abstract T operator ^(T left, T right);
}

/// <summary>One word: one block of one chunk.</summary>
internal readonly struct ScalarWord : IBlake3Word<ScalarWord>
{
    public readonly uint Value;


    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarWord Create(uint value) => Unsafe.BitCast<uint, ScalarWord>(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarWord RotateRight16(ScalarWord value) => Unsafe.BitCast<uint, ScalarWord>(BitOperations.RotateRight(value.Value, 16));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarWord RotateRight12(ScalarWord value) => Unsafe.BitCast<uint, ScalarWord>(BitOperations.RotateRight(value.Value, 12));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarWord RotateRight8(ScalarWord value) => Unsafe.BitCast<uint, ScalarWord>(BitOperations.RotateRight(value.Value, 8));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarWord RotateRight7(ScalarWord value) => Unsafe.BitCast<uint, ScalarWord>(BitOperations.RotateRight(value.Value, 7));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarWord operator +(ScalarWord left, ScalarWord right) => Unsafe.BitCast<uint, ScalarWord>(left.Value + right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarWord operator ^(ScalarWord left, ScalarWord right) => Unsafe.BitCast<uint, ScalarWord>(left.Value ^ right.Value);
}

/// <summary>What the lanes of one vector width add to a word: loading and storing them, and rotating them the fastest way the
/// machine has (a byte shuffle for 16 and 8 bits, AVX-512's own rotate, or two shifts and an or).</summary>
internal interface IBlake3Lanes<T> : IBlake3Word<T>
    where T : struct, IBlake3Lanes<T>
{
    static abstract int Count { get; }

    static abstract T Load(ReadOnlySpan<uint> lanes);

    /// <summary>Lane j gets the word at <paramref name="source"/> + <paramref name="offsets"/>[j] (in words).</summary>
    static abstract unsafe T Gather(uint* source, ReadOnlySpan<int> offsets);

    void Store(Span<uint> lanes);
}

/// <summary>
/// As many lanes as <see cref="Vector{T}"/> holds here: 4 with SSE (the Native AOT build for x86-64-v2) or Arm's AdvSimd,
/// 8 with AVX2.
/// </summary>
internal readonly struct VectorLanes : IBlake3Lanes<VectorLanes>
{
    // A field, and BitCast instead of a constructor: each operation is one small method to inline, 56 times a compression.
    public readonly Vector<uint> Value;

    public static int Count => Vector<uint>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes Create(uint value) => Unsafe.BitCast<Vector<uint>, VectorLanes>(new Vector<uint>(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes Load(ReadOnlySpan<uint> lanes) => Unsafe.BitCast<Vector<uint>, VectorLanes>(new Vector<uint>(lanes));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Span<uint> lanes) => Value.CopyTo(lanes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe VectorLanes Gather(uint* source, ReadOnlySpan<int> offsets) => Count switch
    {
        8 when Avx2.IsSupported => Unsafe.BitCast<Vector<uint>, VectorLanes>(Avx2.GatherVector256(source, Vector256.Create(offsets), 4).AsVector()),
        4 => Unsafe.BitCast<Vector<uint>, VectorLanes>(Vector128.Create(source[offsets[0]], source[offsets[1]], source[offsets[2]], source[offsets[3]]).AsVector()),
        _ => GatherOneByOne(source, offsets),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes RotateRight16(VectorLanes value) => Count switch
    {
        8 when Avx2.IsSupported => Unsafe.BitCast<Vector<uint>, VectorLanes>(Avx2.Shuffle(value.Value.AsVector256().AsByte(), Vector256.Create(Rotate16)).AsUInt32().AsVector()),
        4 when Ssse3.IsSupported => Unsafe.BitCast<Vector<uint>, VectorLanes>(Ssse3.Shuffle(value.Value.AsVector128().AsByte(), Vector128.Create(Rotate16)).AsUInt32().AsVector()),
        _ => Shifted(value, 16),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes RotateRight12(VectorLanes value) => Shifted(value, 12);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes RotateRight8(VectorLanes value) => Count switch
    {
        8 when Avx2.IsSupported => Unsafe.BitCast<Vector<uint>, VectorLanes>(Avx2.Shuffle(value.Value.AsVector256().AsByte(), Vector256.Create(Rotate8)).AsUInt32().AsVector()),
        4 when Ssse3.IsSupported => Unsafe.BitCast<Vector<uint>, VectorLanes>(Ssse3.Shuffle(value.Value.AsVector128().AsByte(), Vector128.Create(Rotate8)).AsUInt32().AsVector()),
        _ => Shifted(value, 8),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes RotateRight7(VectorLanes value) => Shifted(value, 7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes operator +(VectorLanes left, VectorLanes right) => Unsafe.BitCast<Vector<uint>, VectorLanes>(left.Value + right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes operator ^(VectorLanes left, VectorLanes right) => Unsafe.BitCast<Vector<uint>, VectorLanes>(left.Value ^ right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static VectorLanes Shifted(VectorLanes value, int bits) =>
        Unsafe.BitCast<Vector<uint>, VectorLanes>(Vector.ShiftRightLogical(value.Value, bits) | Vector.ShiftLeft(value.Value, 32 - bits));

    // Rotating each 32-bit word right by 16 or 8 bits is moving its bytes: a byte shuffle, within each 128-bit half.
    private static ReadOnlySpan<byte> Rotate16 => [2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13];

    private static ReadOnlySpan<byte> Rotate8 => [1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12, 1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12];

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe VectorLanes GatherOneByOne(uint* source, ReadOnlySpan<int> offsets)
    {
        Span<uint> words = stackalloc uint[Count];
        for (var lane = 0; lane < words.Length; lane++)
        {
            words[lane] = source[offsets[lane]];
        }

        return Load(words);
    }
}

/// <summary>16 lanes (AVX-512, which rotates in one instruction; used only where Avx512F is supported).</summary>
internal readonly struct Lanes512 : IBlake3Lanes<Lanes512>
{
    // A field, and BitCast instead of a constructor: each operation is one small method to inline, 56 times a compression.
    public readonly Vector512<uint> Value;


    public static int Count => Vector512<uint>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Create(uint value) => Unsafe.BitCast<Vector512<uint>, Lanes512>(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Load(ReadOnlySpan<uint> lanes) => Unsafe.BitCast<Vector512<uint>, Lanes512>(Vector512.Create(lanes));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Span<uint> lanes) => Value.CopyTo(lanes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Lanes512 Gather(uint* source, ReadOnlySpan<int> offsets) => Unsafe.BitCast<Vector512<uint>, Lanes512>(Vector512.Create(
        Avx2.GatherVector256(source, Vector256.Create(offsets[..8]), 4),
        Avx2.GatherVector256(source, Vector256.Create(offsets[8..]), 4)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 RotateRight16(Lanes512 value) => Unsafe.BitCast<Vector512<uint>, Lanes512>(Avx512F.RotateRight(value.Value, 16));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 RotateRight12(Lanes512 value) => Unsafe.BitCast<Vector512<uint>, Lanes512>(Avx512F.RotateRight(value.Value, 12));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 RotateRight8(Lanes512 value) => Unsafe.BitCast<Vector512<uint>, Lanes512>(Avx512F.RotateRight(value.Value, 8));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 RotateRight7(Lanes512 value) => Unsafe.BitCast<Vector512<uint>, Lanes512>(Avx512F.RotateRight(value.Value, 7));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator +(Lanes512 left, Lanes512 right) => Unsafe.BitCast<Vector512<uint>, Lanes512>(left.Value + right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator ^(Lanes512 left, Lanes512 right) => Unsafe.BitCast<Vector512<uint>, Lanes512>(left.Value ^ right.Value);
}
