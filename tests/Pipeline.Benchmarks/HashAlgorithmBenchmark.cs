using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;

namespace Pipeline.Benchmarks;

/// <summary>
/// The choices behind <c>--algorithm blake3</c> and <c>xxh128</c> (docs/benchmarks-hashing.md): our own BLAKE3
/// (<see cref="Pipeline.Hashing.Blake3Hasher"/>) against the Blake3 package's plain and joined (multi-threaded) updates, and System.IO.Hashing's XxHash128 against Debian's libxxhash
/// (XXH3_128bits, loaded at run time), one buffer hashed per call, small and large buffers.
/// </summary>
public partial class HashAlgorithmBenchmark
{
    private readonly Blake3.Hasher _blake3 = Blake3.Hasher.New();
    private readonly Pipeline.Hashing.Blake3Hasher _ours = new();
    private readonly XxHash128 _xxh128 = new();
    private readonly byte[] _digest = new byte[32];
    private nint _nativeState;
    private byte[] _data = [];

    [Params(64, 4 * 1024, 64 * 1024, 1024 * 1024, 16 * 1024 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[Size];
        new Random(3).NextBytes(_data);
        _nativeState = NativeLibrary.TryLoad("libxxhash.so.0", out _) ? XXH3_createState() : 0;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _blake3.Dispose();
        if (_nativeState != 0)
        {
            _ = XXH3_freeState(_nativeState);
        }
    }

    [Benchmark]
    public byte Blake3Ours()
    {
        _ours.Append(_data);
        _ours.GetHashAndReset(_digest);
        return _digest[0];
    }

    [Benchmark]
    public byte Blake3Update()
    {
        _blake3.Update(_data);
        _blake3.Finalize(_digest);
        _blake3.Reset();
        return _digest[0];
    }

    [Benchmark]
    public byte Blake3UpdateWithJoin()
    {
        _blake3.UpdateWithJoin(_data);
        _blake3.Finalize(_digest);
        _blake3.Reset();
        return _digest[0];
    }

    [Benchmark]
    public byte Xxh128Managed()
    {
        _xxh128.Append(_data);
        _xxh128.GetHashAndReset(_digest);
        return _digest[0];
    }

    [Benchmark]
    public unsafe byte Xxh128Native()
    {
        if (_nativeState == 0)
        {
            throw new InvalidOperationException("libxxhash.so.0 is not on this machine");
        }

        _ = XXH3_128bits_reset(_nativeState);
        fixed (byte* data = _data)
        {
            _ = XXH3_128bits_update(_nativeState, data, (nuint)_data.Length);
        }

        var hash = XXH3_128bits_digest(_nativeState);
        BinaryPrimitives.WriteUInt64BigEndian(_digest, hash.High);
        BinaryPrimitives.WriteUInt64BigEndian(_digest.AsSpan(8), hash.Low);
        return _digest[0];
    }

    [LibraryImport("libxxhash.so.0")]
    private static partial nint XXH3_createState();

    [LibraryImport("libxxhash.so.0")]
    private static partial int XXH3_freeState(nint state);

    [LibraryImport("libxxhash.so.0")]
    private static partial int XXH3_128bits_reset(nint state);

    [LibraryImport("libxxhash.so.0")]
    private static unsafe partial int XXH3_128bits_update(nint state, byte* input, nuint length);

    [LibraryImport("libxxhash.so.0")]
    private static partial Xxh128Hash XXH3_128bits_digest(nint state);

    [StructLayout(LayoutKind.Sequential)]
    private readonly struct Xxh128Hash
    {
        public readonly ulong Low;
        public readonly ulong High;
    }
}
