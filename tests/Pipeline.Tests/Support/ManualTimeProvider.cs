namespace Pipeline.Tests.Support;

/// <summary>A clock the test moves: every timer created waits until the test fires it, so retry delays take no real time and happen exactly when the test says.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];

    public int TimersCreated { get; private set; }

    public List<TimeSpan> Delays { get; } = [];

    /// <summary>Completes once <paramref name="count"/> timers have been created in all (retries waiting), however fast they came.</summary>
    public Task WaitForTimersAsync(int count)
    {
        lock (_lock)
        {
            if (TimersCreated >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
            return done.Task;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(callback, state);
        List<TaskCompletionSource> reached;
        lock (_lock)
        {
            _timers.Add(timer);
            TimersCreated++;
            Delays.Add(dueTime);
            reached = [.. _waiters.Where(w => w.Count <= TimersCreated).Select(w => w.Done)];
            _waiters.RemoveAll(w => w.Count <= TimersCreated);
        }

        foreach (var done in reached)
        {
            done.TrySetResult();
        }

        return timer;
    }

    /// <summary>Fires every timer created so far.</summary>
    public void FireAll()
    {
        List<ManualTimer> due;
        lock (_lock)
        {
            due = [.. _timers];
            _timers.Clear();
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    private sealed class ManualTimer(TimerCallback callback, object? state) : ITimer
    {
        private bool _disposed;

        public void Fire()
        {
            if (!_disposed)
            {
                callback(state);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose() => _disposed = true;

        public ValueTask DisposeAsync()
        {
            _disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
