using Pipeline.Transforms;

namespace Pipeline.Tests.Support;

/// <summary>
/// A transform that waits, as an embedder's web request does: it copies each file to <c>&lt;path&gt;.out</c>, except the
/// held one, for which it writes part of its output (so its temporary file exists) and then waits until it is cancelled.
/// Only stopping the run ends that file.
/// </summary>
public sealed class HoldingTransform(string heldPath) : AsyncFileTransform
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the held file's output has been started and the transform waits.</summary>
    public Task Reached => _reached.Task;

    public override string Name => "holding";

    public override string Fingerprint => "holding:1";

    public override string? GetOutputPath(string relativePath) => relativePath + ".out";

    public override async ValueTask<object?> ProcessAsync(FileWork work, CancellationToken cancellationToken)
    {
        await work.Input.CopyToAsync(work.Output, cancellationToken);
        if (work.File.RelativePath == heldPath)
        {
            await work.Output.FlushAsync(cancellationToken);
            _reached.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        return null;
    }
}
