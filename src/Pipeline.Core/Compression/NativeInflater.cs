using System.Buffers;
using static Pipeline.Compression.NativeZlib;

namespace Pipeline.Compression;

/// <summary>
/// A push-style gzip decoder over the runtime's own zlib (the exports of System.IO.Compression.Native that
/// GZipStream itself calls). GZipStream cannot tell a truncated file from a complete one and only reads by
/// pulling; this decoder is fed chunk by chunk, knows where each member ends, and so reports truncation,
/// corruption and trailing garbage exactly.
/// </summary>
internal sealed unsafe class NativeInflater : IDisposable
{
    private const int GzipWindowBits = 16 + 15;
    private const int OutputStep = 64 * 1024;

    private PalZStream _stream;
    private bool _initialized;
    private bool _memberOpen;
    private bool _trailingZeros;

    public NativeInflater()
    {
        Check(InflateInit2(ref _stream, GzipWindowBits), "cannot start the gzip decoder");
        _initialized = true;
    }

    /// <summary>Members completed so far.</summary>
    public int Members { get; private set; }

    /// <summary>Whether input ended in the middle of a member (a truncated file), or there was no member at all.</summary>
    public bool IsIncomplete => _memberOpen || Members == 0;

    /// <summary>Decodes <paramref name="input"/> into <paramref name="output"/>.</summary>
    /// <exception cref="InvalidDataException">Corrupt data, a bad header, or garbage after the last member.</exception>
    public void Write(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        fixed (byte* start = input)
        {
            var position = 0;
            while (position < input.Length)
            {
                if (!_memberOpen && Members > 0)
                {
                    // Between members: another member, or zero padding (which gzip tolerates), or garbage.
                    var rest = input[position..];
                    if (_trailingZeros || rest[0] == 0)
                    {
                        if (rest.ContainsAnyExcept((byte)0))
                        {
                            throw new InvalidDataException("trailing garbage after the last gzip member");
                        }

                        _trailingZeros = true;
                        return;
                    }

                    Check(InflateReset2(ref _stream, GzipWindowBits), "cannot restart the gzip decoder");
                }

                _memberOpen = true;
                var span = output.GetSpan(OutputStep);
                Code code;
                uint produced;
                fixed (byte* target = span)
                {
                    _stream.NextIn = (nint)(start + position);
                    _stream.AvailIn = (uint)(input.Length - position);
                    _stream.NextOut = (nint)target;
                    _stream.AvailOut = (uint)span.Length;
                    code = Inflate(ref _stream, 0);
                    produced = (uint)span.Length - _stream.AvailOut;
                    position = input.Length - (int)_stream.AvailIn;
                }

                output.Advance((int)produced);
                switch (code)
                {
                    case Code.StreamEnd:
                        _memberOpen = false;
                        Members++;
                        break;
                    case Code.Ok:
                        break;
                    case Code.BufError when produced == 0 && _stream.AvailIn == 0:
                        return;
                    case Code.DataError:
                        throw new InvalidDataException(Members > 0 && produced == 0
                            ? "trailing garbage after the last gzip member"
                            : $"corrupt gzip data ({Message()})");
                    default:
                        throw new InvalidDataException($"gzip decoder failed with code {(int)code} ({Message()})");
                }
            }

            // All input is consumed, but zlib may still hold output for a full span: drain it.
            while (_memberOpen)
            {
                var span = output.GetSpan(OutputStep);
                Code code;
                uint produced;
                fixed (byte* target = span)
                {
                    _stream.NextIn = 0;
                    _stream.AvailIn = 0;
                    _stream.NextOut = (nint)target;
                    _stream.AvailOut = (uint)span.Length;
                    code = Inflate(ref _stream, 0);
                    produced = (uint)span.Length - _stream.AvailOut;
                }

                output.Advance((int)produced);
                if (code == Code.StreamEnd)
                {
                    _memberOpen = false;
                    Members++;
                }
                else if (code == Code.DataError)
                {
                    throw new InvalidDataException($"corrupt gzip data ({Message()})");
                }
                else if (produced == 0)
                {
                    break;
                }
            }
        }
    }

    public void Dispose()
    {
        if (_initialized)
        {
            _initialized = false;
            _ = InflateEnd(ref _stream);
        }
    }

    private string Message() => NativeZlib.Message(_stream);
}
