namespace Pipeline.Running;

/// <summary>What happened to one file.</summary>
public enum FileStatus
{
    /// <summary>Processed and its output written.</summary>
    Succeeded,

    /// <summary>Could not be processed; <see cref="FileResult.Error"/> says why. The run went on.</summary>
    Failed,

    /// <summary>Not processed because the run was cancelled (or stopped by the error limit); no output was left for it.</summary>
    Cancelled,

    /// <summary>Not processed because the journal says an earlier run already did it, with the same input and options (<see cref="PipelineOptions.Resume"/>).</summary>
    Skipped,
}
