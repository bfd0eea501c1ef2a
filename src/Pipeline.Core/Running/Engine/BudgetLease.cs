namespace Pipeline.Running.Engine;

/// <summary>
/// Bytes of the <see cref="MemoryBudget"/> one file holds. It grows as the file's buffers grow, shrinks as they are
/// given back, and is released exactly once, whatever happens to the file: disposing it twice releases nothing more.
/// </summary>
internal sealed class BudgetLease : IDisposable
{
    private readonly MemoryBudget _budget;
    private long _held;

    private BudgetLease(MemoryBudget budget, long held)
    {
        _budget = budget;
        _held = held;
    }

    /// <summary>Bytes held now.</summary>
    public long Held => Interlocked.Read(ref _held);

    /// <summary>An empty lease, to grow without waiting (memory already allocated by work in flight).</summary>
    public static BudgetLease Empty(MemoryBudget budget) => new(budget, 0);

    /// <summary>Waits until <paramref name="bytes"/> fit under the budget, then holds them.</summary>
    public static async ValueTask<BudgetLease> AcquireAsync(MemoryBudget budget, long bytes, CancellationToken cancellationToken)
    {
        await budget.AcquireAsync(bytes, cancellationToken).ConfigureAwait(false);
        return new BudgetLease(budget, bytes);
    }

    /// <summary>Takes <paramref name="bytes"/> more without waiting.</summary>
    public void Grow(long bytes)
    {
        if (bytes > 0)
        {
            _budget.Add(bytes);
            Interlocked.Add(ref _held, bytes);
        }
    }

    /// <summary>Gives back up to <paramref name="bytes"/> of what is held.</summary>
    public void Shrink(long bytes)
    {
        var given = Math.Min(bytes, Held);
        if (given > 0)
        {
            Interlocked.Add(ref _held, -given);
            _budget.Release(given);
        }
    }

    /// <summary>Moves <paramref name="bytes"/> of this lease into a new one (a batch's share handed to one of its files).</summary>
    public BudgetLease Split(long bytes)
    {
        var moved = Math.Min(bytes, Held);
        Interlocked.Add(ref _held, -moved);
        return new BudgetLease(_budget, moved);
    }

    public void Dispose()
    {
        var held = Interlocked.Exchange(ref _held, 0);
        if (held > 0)
        {
            _budget.Release(held);
        }
    }
}
