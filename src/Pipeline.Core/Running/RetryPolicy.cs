namespace Pipeline.Running;

/// <summary>How often and how long to wait before retrying a transient failure: <see cref="Retries"/> times, doubling from <see cref="FirstDelay"/>.</summary>
internal sealed record RetryPolicy(int Retries, TimeSpan FirstDelay, TimeProvider TimeProvider)
{
    public static RetryPolicy From(PipelineOptions options) => new(options.Retries, options.RetryDelay, options.TimeProvider);

    public TimeSpan DelayBefore(int attempt) => FirstDelay * Math.Pow(2, attempt);

    public Task DelayAsync(int attempt, CancellationToken cancellationToken) =>
        Task.Delay(DelayBefore(attempt), TimeProvider, cancellationToken);

    /// <summary>The synchronous runner's wait: returns early (true) if cancelled. Not a sleep: it wakes on cancellation.</summary>
    public bool Wait(int attempt, CancellationToken cancellationToken) =>
        cancellationToken.WaitHandle.WaitOne(DelayBefore(attempt));
}
