using Pipeline.Running;

namespace Pipeline.Tests.Support;

/// <summary>
/// Records every progress report synchronously, in the order the runner made them (<see cref="Progress{T}"/> would
/// post them to the thread pool and lose that order). <see cref="OnReport"/> runs inside the runner's call.
/// </summary>
public sealed class RecordingProgress : IProgress<RunProgress>
{
    private readonly Lock _lock = new();
    private readonly List<RunProgress> _reports = [];

    /// <summary>Runs inside <see cref="Report"/>, after the report is recorded; it may throw.</summary>
    public Action<RunProgress>? OnReport { get; init; }

    public IReadOnlyList<RunProgress> Reports
    {
        get
        {
            lock (_lock)
            {
                return [.. _reports];
            }
        }
    }

    public void Report(RunProgress value)
    {
        lock (_lock)
        {
            _reports.Add(value);
        }

        OnReport?.Invoke(value);
    }
}
