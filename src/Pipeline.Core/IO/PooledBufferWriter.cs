using System.Buffers;
using Pipeline.Running.Engine;

namespace Pipeline.IO;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over arrays rented from <see cref="ArrayPool{T}.Shared"/>; rents nothing until
/// written to. With a <see cref="Spill"/> action it never holds much more than <see cref="SpillThreshold"/> bytes:
/// a transform whose output explodes (a gzip bomb, say) is written out as it grows instead of piling up.
/// </summary>
internal sealed class PooledBufferWriter(BudgetLease? lease = null) : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer = [];
    private int _written;
    private long _accounted;

    /// <summary>Capacity already held in the lease for this buffer; only capacity beyond it is added to the lease.</summary>
    public long Prepaid { get; set; }

    /// <summary>Where the written bytes go when they reach <see cref="SpillThreshold"/>; afterwards the buffer starts empty again.</summary>
    public SpanAction? Spill { get; set; }

    public int SpillThreshold { get; set; } = int.MaxValue;

    public delegate void SpanAction(ReadOnlySpan<byte> bytes);

    public int WrittenCount => _written;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_written + count > _buffer.Length)
        {
            throw new InvalidOperationException("advanced past the end of the buffer");
        }

        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public void Clear() => _written = 0;

    /// <summary>Drops the first <paramref name="count"/> written bytes, keeping the rest at the front.</summary>
    public void RemovePrefix(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _written);
        _buffer.AsSpan(count, _written - count).CopyTo(_buffer);
        _written -= count;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        Account(0);
        _written = 0;
    }

    private void Account(long capacity)
    {
        var beyond = Math.Max(0, capacity - Prepaid);
        if (lease is not null && beyond != _accounted)
        {
            if (beyond > _accounted)
            {
                lease.Grow(beyond - _accounted);
            }
            else
            {
                lease.Shrink(_accounted - beyond);
            }
        }

        _accounted = beyond;
    }

    private void Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (Spill is { } spill && _written > 0 && _written + needed > SpillThreshold)
        {
            // Write out what is there before it would grow past the threshold, so the buffer never outgrows it.
            spill(WrittenSpan);
            _written = 0;
        }

        if (_buffer.Length - _written >= needed)
        {
            return;
        }

        var size = Math.Max(Math.Max(_written + needed, _buffer.Length * 2), 4096);
        if (Spill is not null)
        {
            size = Math.Min(size, Math.Max(SpillThreshold, _written + needed));
        }

        var next = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _written).CopyTo(next);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        Account(next.Length);

        _buffer = next;
    }
}
