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

/// <summary>4 lanes (SSE, or Arm's AdvSimd).</summary>
internal readonly struct Lanes128 : IBlake3Lanes<Lanes128>
{
    // A field, and BitCast instead of a constructor: each operation is one small method to inline, 56 times a compression.
    public readonly Vector128<uint> Value;


    public static int Count => Vector128<uint>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Create(uint value) => Unsafe.BitCast<Vector128<uint>, Lanes128>(Vector128.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Load(ReadOnlySpan<uint> lanes) => Unsafe.BitCast<Vector128<uint>, Lanes128>(Vector128.Create(lanes));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Span<uint> lanes) => Value.CopyTo(lanes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Lanes128 Gather(uint* source, ReadOnlySpan<int> offsets) =>
        Unsafe.BitCast<Vector128<uint>, Lanes128>(Vector128.Create(source[offsets[0]], source[offsets[1]], source[offsets[2]], source[offsets[3]]));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 RotateRight16(Lanes128 value) => Ssse3.IsSupported
        ? Unsafe.BitCast<Vector128<uint>, Lanes128>(Ssse3.Shuffle(value.Value.AsByte(), Vector128.Create((byte)2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13)).AsUInt32())
        : Shifted(value, 16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 RotateRight12(Lanes128 value) => Shifted(value, 12);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 RotateRight8(Lanes128 value) => Ssse3.IsSupported
        ? Unsafe.BitCast<Vector128<uint>, Lanes128>(Ssse3.Shuffle(value.Value.AsByte(), Vector128.Create((byte)1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12)).AsUInt32())
        : Shifted(value, 8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 RotateRight7(Lanes128 value) => Shifted(value, 7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Lanes128 Shifted(Lanes128 value, int bits) => Unsafe.BitCast<Vector128<uint>, Lanes128>(Vector128.ShiftRightLogical(value.Value, bits) | Vector128.ShiftLeft(value.Value, 32 - bits));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 operator +(Lanes128 left, Lanes128 right) => Unsafe.BitCast<Vector128<uint>, Lanes128>(left.Value + right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 operator ^(Lanes128 left, Lanes128 right) => Unsafe.BitCast<Vector128<uint>, Lanes128>(left.Value ^ right.Value);
}

/// <summary>8 lanes (AVX2).</summary>
internal readonly struct Lanes256 : IBlake3Lanes<Lanes256>
{
    // A field, and BitCast instead of a constructor: each operation is one small method to inline, 56 times a compression.
    public readonly Vector256<uint> Value;


    public static int Count => Vector256<uint>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Create(uint value) => Unsafe.BitCast<Vector256<uint>, Lanes256>(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Load(ReadOnlySpan<uint> lanes) => Unsafe.BitCast<Vector256<uint>, Lanes256>(Vector256.Create(lanes));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Span<uint> lanes) => Value.CopyTo(lanes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Lanes256 Gather(uint* source, ReadOnlySpan<int> offsets) => Avx2.IsSupported
        ? Unsafe.BitCast<Vector256<uint>, Lanes256>(Avx2.GatherVector256(source, Vector256.Create(offsets), 4))
        : Unsafe.BitCast<Vector256<uint>, Lanes256>(Vector256.Create(
            source[offsets[0]], source[offsets[1]], source[offsets[2]], source[offsets[3]],
            source[offsets[4]], source[offsets[5]], source[offsets[6]], source[offsets[7]]));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 RotateRight16(Lanes256 value) => Avx2.IsSupported
        ? Unsafe.BitCast<Vector256<uint>, Lanes256>(Avx2.Shuffle(value.Value.AsByte(), Vector256.Create((byte)2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13)).AsUInt32())
        : Shifted(value, 16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 RotateRight12(Lanes256 value) => Shifted(value, 12);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 RotateRight8(Lanes256 value) => Avx2.IsSupported
        ? Unsafe.BitCast<Vector256<uint>, Lanes256>(Avx2.Shuffle(value.Value.AsByte(), Vector256.Create((byte)1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12, 1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12)).AsUInt32())
        : Shifted(value, 8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 RotateRight7(Lanes256 value) => Shifted(value, 7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Lanes256 Shifted(Lanes256 value, int bits) => Unsafe.BitCast<Vector256<uint>, Lanes256>(Vector256.ShiftRightLogical(value.Value, bits) | Vector256.ShiftLeft(value.Value, 32 - bits));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator +(Lanes256 left, Lanes256 right) => Unsafe.BitCast<Vector256<uint>, Lanes256>(left.Value + right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator ^(Lanes256 left, Lanes256 right) => Unsafe.BitCast<Vector256<uint>, Lanes256>(left.Value ^ right.Value);
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
        Lanes256.Gather(source, offsets[..8]).Value,
        Lanes256.Gather(source, offsets[8..]).Value));

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
