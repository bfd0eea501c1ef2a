namespace Pipeline.Transforms;

/// <summary>
/// A transform whose work on a file waits rather than computes: a child process, a web request, a database call.
/// Both runners drive it as they drive a CPU transform (the same walk, reads, atomic outputs, retries, resume and
/// results), but its <see cref="ProcessAsync"/> is awaited without holding one of the run's cores: many files can
/// wait at once (<see cref="MaxConcurrency"/>) while no pool thread is blocked. Derive from
/// <see cref="AsyncFileTransform"/>, which supplies the CPU-shaped members this shape does not use.
/// </summary>
/// <remarks>Implementations must be thread-safe: files are processed concurrently.</remarks>
public interface IAsyncFileTransform : IFileTransform
{
    /// <summary>
    /// How many files' work may wait at once in the pipeline; <see langword="null"/> for the run's parallelism
    /// (<see cref="Running.PipelineOptions.MaxDegreeOfParallelism"/>). The sequential runner always does one at a time. Range: 1 to 1024.
    /// </summary>
    int? MaxConcurrency { get; }

    /// <summary>
    /// Whether the work takes the opened file rather than its content: the reader opens the file the walk saw and checks
    /// it (a regular file, the same one), reads none of it, and hands it over as <see cref="FileWork.InputHandle"/>; when
    /// <see cref="ProcessAsync"/> returns, the runner checks that it did not change meanwhile. For work that gives the
    /// file to something that reads it itself, such as a child process's standard input. Default: false.
    /// </summary>
    bool TakesOpenFile => false;

    /// <summary>
    /// Processes one file: reads its content from <see cref="FileWork.Input"/> (the file the walk saw, checked
    /// unchanged), writes its output to <see cref="FileWork.Output"/> (or to <see cref="FileWork.OutputPath"/>), and
    /// returns its artifact for the aggregate outputs (or <see langword="null"/>). The output is put in place only when
    /// this returns; an exception fails the file (its message is the reason) and leaves no output.
    /// </summary>
    /// <param name="work">The file, its content and where its output goes.</param>
    /// <param name="cancellationToken">Fires when the run is cancelled: stop waiting and throw <see cref="OperationCanceledException"/>.</param>
    ValueTask<object?> ProcessAsync(FileWork work, CancellationToken cancellationToken);
}
