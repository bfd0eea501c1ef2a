using Pipeline.IO;
using Pipeline.Safety;
using Pipeline.Transforms;

namespace Pipeline.Running.Engine;

/// <summary>
/// A run's aggregate outputs, written as the results come in ordinal order: for a transform whose aggregates are a
/// concatenation (<see cref="IConcatenatedAggregates"/>), a batch of results at a time into temporary files that are
/// renamed into place only when the run ends well, so memory does not grow with the number of files; for any other
/// transform, its successful results are kept and handed to it at the end, as its interface asks.
/// </summary>
internal sealed class AggregateStream : IAggregateSink
{
    private const int BatchSize = 1024;

    private readonly IFileTransform _transform;
    private readonly string _outputRoot;
    private readonly OutputGuard _guard;
    private readonly InputPermissions _inputs;
    private readonly bool _concatenated;
    private readonly List<FileResult> _pending = [];
    private readonly Dictionary<string, (int HeaderLength, AtomicFileWriter? Writer)> _outputs = new(StringComparer.Ordinal);

    /// <summary>An aggregate sink whose outputs are no more readable than any of <c>inputs</c> (complete when the run ends).</summary>
    public AggregateStream(IFileTransform transform, string outputRoot, OutputGuard guard, InputPermissions inputs)
    {
        _inputs = inputs;
        _transform = transform;
        _outputRoot = outputRoot;
        _guard = guard;
        _concatenated = transform is IConcatenatedAggregates { Concatenated: true };
    }

    /// <summary>Takes the next result in ordinal order; only successful and skipped ones count towards aggregates.</summary>
    public void Add(FileResult result)
    {
        if (result.Status is not (FileStatus.Succeeded or FileStatus.Skipped))
        {
            return;
        }

        _pending.Add(result);
        if (_concatenated && _pending.Count >= BatchSize)
        {
            WriteBatch();
        }
    }

    /// <summary>Writes what is left and puts every aggregate output in place.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (!_concatenated)
        {
            await AggregateWriter.WriteAsync(_transform, _outputRoot, _pending, _guard, _inputs.Access, cancellationToken).ConfigureAwait(false);
            return;
        }

        cancellationToken.ThrowIfCancellationRequested();
        WriteBatch();
        foreach (var (_, writer) in _outputs.Values)
        {
            writer!.Access = _inputs.Access;
            writer.Commit();
        }
    }

    /// <summary>Removes the temporary files of aggregates not committed (a cancelled run writes none).</summary>
    public void Dispose()
    {
        foreach (var (_, writer) in _outputs.Values)
        {
            writer?.Dispose();
        }
    }

    private void WriteBatch()
    {
        if (_outputs.Count == 0)
        {
            // The first batch opens the outputs and writes what they hold for no results (a header, say).
            foreach (var empty in _transform.CreateAggregateOutputs([]))
            {
                var path = Path.Join(_outputRoot, empty.RelativePath);
                _guard.Check(path);
                var writer = AtomicFileWriter.Create(path, asynchronous: false, _inputs.Access ?? OutputAccess.Describing(0));
                _outputs[empty.RelativePath] = (empty.Content.Length, writer);
                writer.Write(empty.Content.Span);
            }
        }

        if (_pending.Count == 0)
        {
            return;
        }

        foreach (var output in _transform.CreateAggregateOutputs(_pending))
        {
            var (headerLength, writer) = _outputs[output.RelativePath];
            writer!.Write(output.Content.Span[headerLength..]);
        }

        _pending.Clear();
    }
}
