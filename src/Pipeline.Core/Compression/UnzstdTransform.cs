using System.Buffers;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Transforms;
using ZstdSharp.Unsafe;

namespace Pipeline.Compression;

/// <summary>
/// Decompresses each <c>*.zst</c> file, streamed, to its relative path without <c>.zst</c>. Every frame decompresses in
/// turn, as <c>zstd -d</c> does: one frame or many (concatenated files, or what <see cref="ZstdTransform"/> and pzstd
/// write), skippable frames skipped, with or without content size and checksum (a checksum present is checked). A
/// truncated or corrupt file, one with garbage after its last frame, or one with a frame whose window is larger than
/// <see cref="MaxWindowLog"/> allows, fails with the reason and leaves no output.
/// </summary>
public sealed class UnzstdTransform : IFileTransform, IConcatenatedAggregates
{
    /// <summary>The default <see cref="MaxWindowLog"/>: 27 (128 MiB), as <c>zstd -d</c> allows by default.</summary>
    public const int DefaultMaxWindowLog = 27;

    /// <summary>The smallest <see cref="MaxWindowLog"/>: 10 (1 KiB), zstd's smallest window.</summary>
    public const int MinWindowLog = 10;

    /// <summary>The largest <see cref="MaxWindowLog"/>: 31 (2 GiB), zstd's largest window.</summary>
    public const int MaxWindowLogLimit = 31;

    /// <summary>Creates the transform.</summary>
    /// <param name="maxWindowLog">
    /// The largest window a frame may use, as a power of two: the decoder holds that much of each file's output in memory.
    /// Default: <see cref="DefaultMaxWindowLog"/>. Range: <see cref="MinWindowLog"/> to <see cref="MaxWindowLogLimit"/>.
    /// <see cref="WindowLogFor"/> gives the one that fits a run's memory budget.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWindowLog"/> is out of range.</exception>
    public UnzstdTransform(int maxWindowLog = DefaultMaxWindowLog)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWindowLog, MinWindowLog);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxWindowLog, MaxWindowLogLimit);
        MaxWindowLog = maxWindowLog;
    }

    /// <summary>The largest window a frame may use, as a power of two.</summary>
    public int MaxWindowLog { get; }

    /// <inheritdoc/>
    string IFileTransform.Name => "unzstd";

    /// <inheritdoc/>
    /// <remarks>The window limit is left out: it decides whether a file fails, never what a success writes.</remarks>
    string IFileTransform.Fingerprint => "unzstd";

    /// <summary>
    /// The largest window that a run with <paramref name="memoryBudget"/> bytes allows a decoder: the largest power of
    /// two no more than a quarter of the budget (16 MiB for the default 64 MiB, which every level of the zstd command
    /// stays within), so that a file's window leaves the rest of the budget to the run's buffers; at least
    /// <see cref="MinWindowLog"/>, at most <see cref="DefaultMaxWindowLog"/>.
    /// </summary>
    /// <param name="memoryBudget">The run's memory budget in bytes (<see cref="PipelineOptions.MemoryBudget"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="memoryBudget"/> is not positive.</exception>
    public static int WindowLogFor(long memoryBudget)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(memoryBudget);
        var quarter = Math.Max(memoryBudget / 4, 1);
        return Math.Clamp(63 - (int)long.LeadingZeroCount(quarter), MinWindowLog, DefaultMaxWindowLog);
    }

    /// <inheritdoc/>
    /// <remarks><c>a/b.txt.zst</c> becomes <c>a/b.txt</c>; a name without <c>.zst</c> (selected on purpose) gets <c>.out</c> appended.</remarks>
    string? IFileTransform.GetOutputPath(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        return relativePath.EndsWith(".zst", StringComparison.OrdinalIgnoreCase) && relativePath.Length > 4 && relativePath[^5] != '/'
            ? relativePath[..^4]
            : relativePath + ".out";
    }

    /// <inheritdoc/>
    IFileProcessor IFileTransform.CreateProcessor(SourceFile file) => new Processor(MaxWindowLog);

    /// <inheritdoc/>
    IReadOnlyList<AggregateOutput> IFileTransform.CreateAggregateOutputs(IReadOnlyList<FileResult> succeeded) => [];

    /// <summary>
    /// A push-style decoder over the port's streaming API, fed chunk by chunk. zstd's own return value says when a
    /// frame is complete, so truncation (input ending inside a frame) and garbage after the last frame are told apart
    /// from a valid end exactly.
    /// </summary>
    private sealed unsafe class Processor : IFileProcessor
    {
        // The decoder's recommended output size (ZSTD_DStreamOutSize): one full block.
        private const int OutputStep = 128 * 1024;

        private readonly int _maxWindowLog;
        private ZSTD_DCtx_s* _decoder;
        private long _input;
        private bool _inFrame;
        private int _frames;

        public Processor(int maxWindowLog)
        {
            _maxWindowLog = maxWindowLog;
            _decoder = Methods.ZSTD_createDCtx();
            if (_decoder is null)
            {
                throw new InsufficientMemoryException("cannot start the zstd decoder");
            }

            Check(Methods.ZSTD_DCtx_setParameter(_decoder, ZSTD_dParameter.ZSTD_d_windowLogMax, maxWindowLog));
        }

        public void Append(ReadOnlySpan<byte> chunk, IBufferWriter<byte> output)
        {
            _input += chunk.Length;
            fixed (byte* source = chunk)
            {
                var input = new ZSTD_inBuffer_s { src = source, size = (nuint)chunk.Length, pos = 0 };
                while (true)
                {
                    var span = output.GetSpan(OutputStep);
                    nuint hint;
                    bool full;
                    fixed (byte* target = span)
                    {
                        var buffer = new ZSTD_outBuffer_s { dst = target, size = (nuint)span.Length, pos = 0 };
                        hint = Methods.ZSTD_decompressStream(_decoder, &buffer, &input);
                        Check(hint);
                        output.Advance((int)buffer.pos);
                        full = buffer.pos == buffer.size;
                    }

                    // 0: a frame is decoded and flushed in full. Anything else: a frame has begun (every call has input,
                    // or follows one that filled the output and so is inside a frame still being drained).
                    _inFrame = hint != 0;
                    if (hint == 0)
                    {
                        _frames++;
                    }

                    // The decoder may hold more of a frame's output while the last call filled its buffer: ask again.
                    if (input.pos == input.size && (hint == 0 || !full))
                    {
                        return;
                    }
                }
            }
        }

        public object? Complete(IBufferWriter<byte> output)
        {
            if (_input == 0)
            {
                throw new InvalidDataException("empty file, not zstd data");
            }

            if (_inFrame)
            {
                throw new InvalidDataException("truncated zstd data (the file ends inside a frame)");
            }

            return null;
        }

        public void Dispose()
        {
            if (_decoder is not null)
            {
                _ = Methods.ZSTD_freeDCtx(_decoder);
                _decoder = null;
            }
        }

        /// <summary>Throws the reason for a zstd error code, in words a user can act on.</summary>
        private void Check(nuint code)
        {
            if (!Methods.ZSTD_isError(code))
            {
                return;
            }

            throw Methods.ZSTD_getErrorCode(code) switch
            {
                ZSTD_ErrorCode.ZSTD_error_frameParameter_windowTooLarge => new InvalidDataException(
                    $"a frame needs a window larger than the {FormatSize(1L << _maxWindowLog)} the memory budget allows; give the run a larger memory budget"),
                ZSTD_ErrorCode.ZSTD_error_prefix_unknown when _frames > 0 && !_inFrame => new InvalidDataException("trailing garbage after the last zstd frame"),
                ZSTD_ErrorCode.ZSTD_error_prefix_unknown => new InvalidDataException("not zstd data (unknown frame header)"),
                ZSTD_ErrorCode.ZSTD_error_checksum_wrong => new InvalidDataException("corrupt zstd data (checksum mismatch)"),
                ZSTD_ErrorCode.ZSTD_error_memory_allocation => new InsufficientMemoryException("the zstd decoder ran out of memory"),
                _ => new InvalidDataException($"corrupt zstd data ({Methods.ZSTD_getErrorName(code)})"),
            };
        }

        private static string FormatSize(long bytes) => bytes >= 1024 * 1024 ? $"{bytes >> 20} MiB" : $"{bytes >> 10} KiB";
    }
}
