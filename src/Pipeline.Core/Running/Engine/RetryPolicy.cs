namespace Pipeline.Running.Engine;

/// <summary>How often and how long to wait before retrying a transient failure: <see cref="Retries"/> times, doubling from <see cref="FirstDelay"/>.</summary>
internal sealed record RetryPolicy(int Retries, TimeSpan FirstDelay, TimeProvider TimeProvider)
{
    public static RetryPolicy From(PipelineOptions options) => new(options.Retries, options.RetryDelay, options.TimeProvider);

    public TimeSpan DelayBefore(int attempt) => FirstDelay * Math.Pow(2, attempt);

    /// <summary>
    /// The one retry loop both runners use: runs <paramref name="attempt"/>, and while it fails with a transient error
    /// (<see cref="TransientErrors"/>) and retries are left, waits on <see cref="TimeProvider"/> and runs it again.
    /// </summary>
    /// <param name="attempt">One attempt; told how many retries came before it.</param>
    /// <param name="retried">Retries already spent on the same file: a file has <see cref="Retries"/> in all, whichever step fails.</param>
    /// <param name="cancellationToken">Ends the loop, during an attempt or a wait.</param>
    /// <returns>The retries spent, <paramref name="retried"/> included.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async ValueTask<int> ExecuteAsync(Func<int, ValueTask> attempt, int retried, CancellationToken cancellationToken)
    {
        for (var tried = retried; ; tried++)
        {
            try
            {
                await attempt(tried).ConfigureAwait(false);
                return tried;
            }
            catch (Exception ex) when (tried < Retries && TransientErrors.IsTransient(ex))
            {
                // Busy or locked for a moment (another program writing it, say): wait and try again. Unless the run is
                // stopping: then the file is cancelled, as every file the stop finds in flight is, not failed for a lock
                // it would have waited out.
                if (cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException("cancelled while the file was busy or locked", ex, cancellationToken);
                }
            }

            await Task.Delay(DelayBefore(tried), TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }
}
