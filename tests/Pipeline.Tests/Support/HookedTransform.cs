using System.Buffers;
using System.Collections.Concurrent;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Transforms;

namespace Pipeline.Tests.Support;

/// <summary>
/// Wraps a transform and calls <see cref="Hook"/> before every step for every file (after it, for
/// <see cref="TransformStep.Dispose"/>), with how many times that step has now been called for that file. A hook can
/// throw (the step then fails as if the transform had), block, or change the file system. It also counts the
/// processors created and disposed, so a test can assert none is leaked, whatever way a file ended.
/// </summary>
public sealed class HookedTransform(IFileTransform inner) : IFileTransform
{
    private readonly ConcurrentDictionary<(TransformStep, string), int> _calls = new();
    private int _created;
    private int _disposed;

    /// <summary>Called as (step, relative path, how many times this step has been called for this path, this call included). The path is empty for <see cref="TransformStep.CreateAggregateOutputs"/>.</summary>
    public Action<TransformStep, string, int>? Hook { get; init; }

    public string Name => inner.Name;

    public string Fingerprint => inner.Fingerprint;

    /// <summary>Processors created (successfully).</summary>
    public int ProcessorsCreated => Volatile.Read(ref _created);

    /// <summary>Processors whose <see cref="IDisposable.Dispose"/> was called, counting repeated calls.</summary>
    public int ProcessorsDisposed => Volatile.Read(ref _disposed);

    /// <summary>How many times <paramref name="step"/> has been called for <paramref name="relativePath"/>.</summary>
    public int Calls(TransformStep step, string relativePath) => _calls.TryGetValue((step, relativePath), out var n) ? n : 0;

    /// <summary>Makes a hook that throws <paramref name="exception"/> the <paramref name="occurrence"/>th time (and every later time) <paramref name="step"/> is called for <paramref name="relativePath"/>.</summary>
    public static Action<TransformStep, string, int> ThrowAt(TransformStep step, string relativePath, Func<Exception> exception, int occurrence = 1) =>
        (s, path, n) =>
        {
            if (s == step && path == relativePath && n >= occurrence)
            {
                throw exception();
            }
        };

    public string? GetOutputPath(string relativePath)
    {
        Call(TransformStep.GetOutputPath, relativePath);
        return inner.GetOutputPath(relativePath);
    }

    public IFileProcessor CreateProcessor(SourceFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        Call(TransformStep.CreateProcessor, file.RelativePath);
        var processor = new Processor(this, file.RelativePath, inner.CreateProcessor(file));
        Interlocked.Increment(ref _created);
        return processor;
    }

    public IReadOnlyList<AggregateOutput> CreateAggregateOutputs(IReadOnlyList<FileResult> succeeded)
    {
        ArgumentNullException.ThrowIfNull(succeeded);

        // The runners also ask for the names of the aggregate outputs up front, with no results (to refuse an input
        // whose output would replace one); the hook sees only the calls that write them.
        if (succeeded.Count > 0)
        {
            Call(TransformStep.CreateAggregateOutputs, string.Empty);
        }

        return inner.CreateAggregateOutputs(succeeded);
    }

    private void Call(TransformStep step, string relativePath)
    {
        var n = _calls.AddOrUpdate((step, relativePath), 1, (_, count) => count + 1);
        Hook?.Invoke(step, relativePath, n);
    }

    private sealed class Processor(HookedTransform owner, string relativePath, IFileProcessor inner) : IFileProcessor
    {
        public void Append(ReadOnlySpan<byte> chunk, IBufferWriter<byte> output)
        {
            owner.Call(TransformStep.Append, relativePath);
            inner.Append(chunk, output);
        }

        public object? Complete(IBufferWriter<byte> output)
        {
            owner.Call(TransformStep.Complete, relativePath);
            return inner.Complete(output);
        }

        public void Dispose()
        {
            inner.Dispose();
            Interlocked.Increment(ref owner._disposed);
            owner.Call(TransformStep.Dispose, relativePath);
        }
    }
}
