namespace Pipeline.Running.Engine;

/// <summary>Counts failed files as they fail and stops the intake when <see cref="PipelineOptions.MaxErrors"/> is reached.</summary>
internal sealed class ErrorLimit(int? max, CancellationTokenSource intake)
{
    private int _failed;
    private volatile bool _reached;

    public bool Reached => _reached;

    public void Count(FileResult result)
    {
        if (result.Status == FileStatus.Failed && max is { } limit && Interlocked.Increment(ref _failed) == limit)
        {
            _reached = true;
            intake.Cancel();
        }
    }
}
