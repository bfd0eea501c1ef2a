using Pipeline.IO;
using Pipeline.Running;
using Pipeline.Running.Engine;
using Pipeline.Transforms;

namespace Pipeline.Sharding;

/// <summary>
/// A shard's parts of its transform's aggregate outputs, written as results come in ordinal order: each part is what
/// the output would hold for the shard's files alone, indexed by file (<see cref="IndexedPartWriter"/>), so that
/// <see cref="ShardMerger"/> can join the parts of every shard into exactly what one run writes. Needs a transform whose
/// aggregates are a concatenation of per-file parts (<see cref="IConcatenatedAggregates"/>), as the built-in ones are.
/// </summary>
internal sealed class ShardParts : IAggregateSink
{
    private readonly IFileTransform _transform;
    private readonly string _folder;
    private readonly IReadOnlyList<AggregateOutput> _empty;
    private Dictionary<string, (int HeaderLength, IndexedPartWriter Writer)>? _parts;

    private readonly InputPermissions _inputs;

    /// <summary>A shard's parts of the aggregate outputs, no more readable than any of <c>inputs</c> (complete when the run ends).</summary>
    public ShardParts(IFileTransform transform, string folder, InputPermissions inputs)
    {
        _inputs = inputs;
        _transform = transform;
        _folder = folder;
        _empty = transform.CreateAggregateOutputs([]);
    }

    /// <summary>The aggregate outputs' paths under the output root.</summary>
    public IReadOnlyList<string> Outputs => [.. _empty.Select(e => e.RelativePath)];

    /// <summary>Why <paramref name="transform"/> cannot run as a shard, or <see langword="null"/>.</summary>
    public static string? Problem(IFileTransform transform) =>
        transform.CreateAggregateOutputs([]).Count > 0 && transform is not IConcatenatedAggregates { Concatenated: true }
            ? $"the {transform.Name} transform's aggregate outputs ({string.Join(", ", transform.CreateAggregateOutputs([]).Select(a => a.RelativePath))}) cannot be split by file, so it cannot run as shards"
            : null;

    public void Add(FileResult result)
    {
        if (_empty.Count == 0 || result.Status is not (FileStatus.Succeeded or FileStatus.Skipped))
        {
            return;
        }

        var parts = Open();
        foreach (var output in _transform.CreateAggregateOutputs([result]))
        {
            var (headerLength, writer) = parts[output.RelativePath];
            writer.Write(result.RelativePath, output.Content.Span[headerLength..]);
        }
    }

    public Task CommitAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var (_, writer) in Open().Values)
        {
            writer.Access = _inputs.Access;
            writer.Commit();
        }

        return Task.CompletedTask;
    }

    public void Dispose()
    {
        if (_parts is null)
        {
            return;
        }

        foreach (var (_, writer) in _parts.Values)
        {
            writer.Dispose();
        }
    }

    private Dictionary<string, (int HeaderLength, IndexedPartWriter Writer)> Open()
    {
        if (_parts is { } parts)
        {
            return parts;
        }

        parts = new Dictionary<string, (int, IndexedPartWriter)>(StringComparer.Ordinal);
        try
        {
            foreach (var empty in _empty)
            {
                parts[empty.RelativePath] = (empty.Content.Length, IndexedPartWriter.Create(Path.Join(_folder, empty.RelativePath), empty.RelativePath, empty.Content.Span, _inputs.Access ?? OutputAccess.Describing(0)));
            }
        }
        catch
        {
            foreach (var (_, writer) in parts.Values)
            {
                writer.Dispose();
            }

            throw;
        }

        return _parts = parts;
    }
}
