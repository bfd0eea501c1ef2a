namespace Pipeline.Running;

/// <summary>How often and how long to wait before retrying a transient failure: <see cref="Retries"/> times, doubling from <see cref="FirstDelay"/>.</summary>
internal sealed record RetryPolicy(int Retries, TimeSpan FirstDelay, TimeProvider TimeProvider)
{
    public static RetryPolicy From(PipelineOptions options) => new(options.Retries, options.RetryDelay, options.TimeProvider);

    public TimeSpan DelayBefore(int attempt) => FirstDelay * Math.Pow(2, attempt);

    /// <summary>
    /// The one retry loop both runners use: runs <paramref name="attempt"/>, and while it fails with a transient error
    /// (<see cref="Unattended.TransientErrors"/>) and retries are left, waits on <see cref="TimeProvider"/> and runs it again.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired, during an attempt or a wait.</exception>
    public async ValueTask ExecuteAsync(Func<ValueTask> attempt, CancellationToken cancellationToken)
    {
        for (var tried = 0; ; tried++)
        {
            try
            {
                await attempt().ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (tried < Retries && !cancellationToken.IsCancellationRequested && Unattended.TransientErrors.IsTransient(ex))
            {
                // Busy or locked for a moment (another program writing it, say): wait and try again.
            }

            await Task.Delay(DelayBefore(tried), TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }
}
