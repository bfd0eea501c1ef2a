using System.Collections.Concurrent;

namespace Pipeline.Running.Engine;

/// <summary>
/// Every file admitted to a run and not yet finished. A faulted or cancelled Dataflow block drops the messages it
/// holds, and with them whatever those files hold (a temporary output, an open file, budget): this registry reaches
/// them anyway, so a run ends with nothing left behind.
/// </summary>
internal sealed class FilesInFlight
{
    private readonly ConcurrentDictionary<FileJob, byte> _jobs = new();

    public int Count => _jobs.Count;

    public void Add(FileJob job) => _jobs.TryAdd(job, 0);

    public void Remove(FileJob job) => _jobs.TryRemove(job, out _);

    /// <summary>Disposes every file still registered: call once no stage runs any more.</summary>
    public async Task DisposeAllAsync()
    {
        foreach (var job in _jobs.Keys)
        {
            await job.DisposeAsync().ConfigureAwait(false);
        }
    }
}
