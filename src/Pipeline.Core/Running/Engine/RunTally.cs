namespace Pipeline.Running.Engine;

/// <summary>What a summary needs of a run's results, counted as they come: counts, bytes and the first failures. It does not grow with the number of files.</summary>
internal sealed class RunTally
{
    /// <summary>Failures kept for display; the rest are counted.</summary>
    public const int FailuresKept = 100;

    public int Succeeded { get; private set; }

    public int Failed { get; private set; }

    public int Skipped { get; private set; }

    public int Cancelled { get; private set; }

    public long BytesIn { get; private set; }

    public long BytesOut { get; private set; }

    public List<FileResult> Failures { get; } = [];

    public void Add(FileResult result)
    {
        switch (result.Status)
        {
            case FileStatus.Succeeded:
                Succeeded++;
                BytesIn += result.BytesIn;
                BytesOut += result.BytesOut;
                break;
            case FileStatus.Failed:
                Failed++;
                if (Failures.Count < FailuresKept)
                {
                    Failures.Add(result);
                }

                break;
            case FileStatus.Skipped:
                Skipped++;
                break;
            default:
                Cancelled++;
                break;
        }
    }
}
