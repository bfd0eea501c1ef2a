namespace Pipeline.Running.Engine;

/// <summary>
/// Counts the bytes of file data the pipeline holds (input buffers, read-ahead chunks, output buffers) against
/// a limit. Only the reader waits for room, before it admits a file; later stages only add and release, so a
/// full budget slows the intake and never stalls work already in flight.
/// </summary>
internal sealed class MemoryBudget(long limit)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private long _used;
    private long _peak;

    public long Limit { get; } = limit;

    public long Peak
    {
        get
        {
            lock (_lock)
            {
                return _peak;
            }
        }
    }

    public long Used
    {
        get
        {
            lock (_lock)
            {
                return _used;
            }
        }
    }

    /// <summary>Waits until <paramref name="bytes"/> fit under the limit (or nothing else is held, so one oversized file still passes alone), then takes them.</summary>
    public ValueTask AcquireAsync(long bytes, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_lock)
        {
            if (_waiters.Count == 0 && Fits(bytes))
            {
                Take(bytes);
                return ValueTask.CompletedTask;
            }

            waiter = new Waiter(bytes);
            waiter.Node = _waiters.AddLast(waiter);
        }

        return WaitCoreAsync(waiter, cancellationToken);
    }

    /// <summary>Takes <paramref name="bytes"/> without waiting: memory already allocated by work in flight.</summary>
    public void Add(long bytes)
    {
        lock (_lock)
        {
            Take(bytes);
        }
    }

    public void Release(long bytes)
    {
        List<Waiter> ready = [];
        lock (_lock)
        {
            _used -= bytes;
            while (_waiters.First is { } first && Fits(first.Value.Bytes))
            {
                _waiters.RemoveFirst();
                Take(first.Value.Bytes);
                ready.Add(first.Value);
            }
        }

        foreach (var waiter in ready)
        {
            waiter.Completion.TrySetResult();
        }
    }

    private bool Fits(long bytes) => _used == 0 || _used + bytes <= Limit;

    private void Take(long bytes)
    {
        _used += bytes;
        _peak = Math.Max(_peak, _used);
    }

    private async ValueTask WaitCoreAsync(Waiter waiter, CancellationToken cancellationToken)
    {
        await using (cancellationToken.Register(() =>
        {
            bool removed;
            lock (_lock)
            {
                removed = waiter.Node?.List is not null;
                if (removed)
                {
                    _waiters.Remove(waiter.Node!);
                }
            }

            if (removed)
            {
                waiter.Completion.TrySetCanceled(cancellationToken);
            }
        }).ConfigureAwait(false))
        {
#pragma warning disable VSTHRD003 // The completion source belongs to this waiter, created above.
            await waiter.Completion.Task.ConfigureAwait(false);
#pragma warning restore VSTHRD003
        }
    }

    private sealed class Waiter(long bytes)
    {
        public long Bytes { get; } = bytes;

        public LinkedListNode<Waiter>? Node { get; set; }

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
