using System.Buffers;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Transforms;

namespace Pipeline.Tests.Support;

/// <summary>
/// Wraps a transform and holds the CPU stage on one chosen file until the test opens the gate, so a test can
/// act (cancel, fault) while that file is in flight, without sleeping.
/// </summary>
public sealed class GatedTransform(IFileTransform inner, string heldPath) : IFileTransform, IDisposable
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ManualResetEventSlim _gate = new(false);

    public Task Reached => _reached.Task;

    public string Name => inner.Name;

    public string Fingerprint => inner.Fingerprint;

    public void Open() => _gate.Set();

    public void Dispose() => _gate.Dispose();

    public string? GetOutputPath(string relativePath) => inner.GetOutputPath(relativePath);

    public IFileProcessor CreateProcessor(SourceFile file) =>
        file.RelativePath == heldPath ? new Held(this, inner.CreateProcessor(file)) : inner.CreateProcessor(file);

    public IReadOnlyList<AggregateOutput> CreateAggregateOutputs(IReadOnlyList<FileResult> succeeded) => inner.CreateAggregateOutputs(succeeded);

    private sealed class Held(GatedTransform owner, IFileProcessor inner) : IFileProcessor
    {
        private bool _held;

        public void Append(ReadOnlySpan<byte> chunk, IBufferWriter<byte> output)
        {
            inner.Append(chunk, output);
            if (!_held)
            {
                // After the first chunk, so the streamed output (and its temporary file) already exists.
                _held = true;
                owner._reached.TrySetResult();
                owner._gate.Wait(TimeSpan.FromSeconds(30));
            }
        }

        public object? Complete(IBufferWriter<byte> output) => inner.Complete(output);

        public void Dispose() => inner.Dispose();
    }
}
