using System.Buffers;
using System.Buffers.Binary;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Transforms;

namespace Pipeline.Tests.Support;

/// <summary>
/// A transform whose streamed files go through chunks processed apart (<see cref="IIndependentChunks"/>), made to be
/// checked: each chunk's output is the length and the byte sum of the history it was given, then the chunk itself, so
/// the whole output can be computed from the input (<see cref="Expected"/>). It records how many computations (chunks,
/// and whole files that fit one chunk) were running at once, and can hold each until that many are in (a file fails if
/// they never are). With a <c>dwell</c>, each computation stays inside that long, so computations that a runner lets
/// overlap do overlap, and the count shows it.
/// </summary>
internal sealed class ChunkedEchoTransform(int holdUntilAtOnce, TimeSpan patience, TimeSpan dwell = default) : IFileTransform, IIndependentChunks, IDisposable
{
    /// <summary>Longer than a chunk of the contract's tests, so a history spans chunks.</summary>
    public const int History = 6000;

    private readonly ManualResetEventSlim _together = new(holdUntilAtOnce <= 1);
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _active;
    private int _mostAtOnce;

    public string Name => "echo";

    public string Fingerprint => "echo";

    public int HistoryLength => History;

    public bool Splits(int chunkSize, bool hasOutput) => hasOutput;

    /// <summary>The most computations (chunks inside <see cref="IChunkProcessor.Process"/>, whole files inside <see cref="IFileProcessor.Append"/>) running at once.</summary>
    public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

    /// <summary>Completes when the first chunk is being processed.</summary>
    public Task Entered => _entered.Task;

    /// <summary>Lets every chunk held, and every later one, through.</summary>
    public void Release() => _together.Set();

    public string? GetOutputPath(string relativePath) => relativePath + ".echo";

    public IFileProcessor CreateProcessor(SourceFile file) => new Whole(this);

    public IChunkProcessor CreateChunkProcessor(SourceFile file) => new Chunks(this);

    public IReadOnlyList<AggregateOutput> CreateAggregateOutputs(IReadOnlyList<FileResult> succeeded) => [];

    /// <summary>The output for <paramref name="input"/>: the input itself when it fits one chunk, else each chunk after its history's length and sum.</summary>
    public static byte[] Expected(byte[] input, int chunkSize)
    {
        if (input.Length <= chunkSize)
        {
            return input;
        }

        var output = new ArrayBufferWriter<byte>();
        for (var offset = 0; offset < input.Length; offset += chunkSize)
        {
            var start = Math.Max(0, offset - History);
            Echo(input.AsSpan(start, offset - start), input.AsSpan(offset, Math.Min(chunkSize, input.Length - offset)), output);
        }

        return output.WrittenSpan.ToArray();
    }

    public void Dispose() => _together.Dispose();

    private static void Echo(ReadOnlySpan<byte> history, ReadOnlySpan<byte> chunk, IBufferWriter<byte> output)
    {
        var sum = 0u;
        foreach (var b in history)
        {
            sum += b;
        }

        var head = output.GetSpan(8);
        BinaryPrimitives.WriteInt32LittleEndian(head, history.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(head[4..], sum);
        output.Advance(8);
        output.Write(chunk);
    }

    /// <summary>Counts a chunk in, and holds it until enough are in at once.</summary>
    private void Enter()
    {
        var now = Interlocked.Increment(ref _active);
        var seen = Volatile.Read(ref _mostAtOnce);
        while (now > seen && Interlocked.CompareExchange(ref _mostAtOnce, now, seen) is var was && was != seen)
        {
            seen = was;
        }

        _entered.TrySetResult();
        if (now >= holdUntilAtOnce)
        {
            _together.Set();
        }

        if (!_together.Wait(patience))
        {
            Interlocked.Decrement(ref _active);
            throw new InvalidDataException($"no {holdUntilAtOnce} chunks were processed at once");
        }

        if (dwell > TimeSpan.Zero)
        {
            Thread.Sleep(dwell);
        }
    }

    private sealed class Whole(ChunkedEchoTransform owner) : IFileProcessor
    {
        public void Append(ReadOnlySpan<byte> chunk, IBufferWriter<byte> output)
        {
            owner.Enter();
            try
            {
                output.Write(chunk);
            }
            finally
            {
                Interlocked.Decrement(ref owner._active);
            }
        }

        public object? Complete(IBufferWriter<byte> output) => null;

        public void Dispose()
        {
        }
    }

    private sealed class Chunks(ChunkedEchoTransform owner) : IChunkProcessor
    {
        public void Begin(IBufferWriter<byte> output)
        {
        }

        public ChunkCheck Process(long offset, ReadOnlySpan<byte> history, ReadOnlySpan<byte> chunk, IBufferWriter<byte> output)
        {
            owner.Enter();
            try
            {
                Echo(history, chunk, output);
                return new ChunkCheck(0, chunk.Length);
            }
            finally
            {
                Interlocked.Decrement(ref owner._active);
            }
        }

        public void Join(ChunkCheck check)
        {
        }

        public object? Complete(IBufferWriter<byte> output) => null;
    }
}
