using System.Globalization;
using Pipeline.IO;
using Pipeline.Running;
using Pipeline.Safety;
using Pipeline.Unattended;

namespace Pipeline.Sharding;

/// <summary>
/// Joins the parts that the shards of one job (<see cref="PipelineOptions.Shard"/>) left in their shared output folder
/// into the job's aggregate outputs (a manifest, <c>bad-rows.csv</c>) and, if the shards wrote parts of one, its report:
/// byte for byte what one unsharded run writes. Each shard's parts are in ordinal order of relative paths, so the join
/// is a streaming k-way merge: memory holds one index entry per shard, not the files. Every output is written
/// atomically, only once all of them have been joined; running it again writes the same bytes.
/// </summary>
public static partial class ShardMerger
{
    /// <summary>Shards named one by one in a message; the rest are counted.</summary>
    private const int ShardsNamed = 20;

    /// <summary>Checks that every shard finished with the same settings and joins their parts into the final outputs.</summary>
    /// <param name="outputRoot">The output folder the shards shared.</param>
    /// <param name="shardCount">How many shards the job had: 1 to <see cref="Shard.MaxCount"/>. Default: <see langword="null"/>, the count of the shard folders found, if they all have one.</param>
    /// <param name="cancellationToken">Stops the join; no output is written.</param>
    /// <returns>What was written and the shards' files, summed; check <see cref="ShardMergeResult.FilesFailed"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="outputRoot"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shardCount"/> is out of range.</exception>
    /// <exception cref="ShardMergeException">
    /// Some shard has not finished, or was run with other settings (transform, its options, input, selection), or its
    /// parts do not add up; or there are no shards. Nothing was written (from the task).
    /// </exception>
    /// <exception cref="OutputLockedException">A shard, a run or another merge still holds the output folder (from the task).</exception>
    public static Task<ShardMergeResult> MergeAsync(string outputRoot, int? shardCount = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputRoot);
        if (shardCount is { } count)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(count, 1, nameof(shardCount));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Shard.MaxCount, nameof(shardCount));
        }

        var root = PhysicalPath.Resolve(outputRoot);

        // Reading and writing parts is synchronous file I/O: keep it off the caller's thread.
        return Task.Run(() => Merge(root, shardCount, cancellationToken), CancellationToken.None);
    }

    private static ShardMergeResult Merge(string root, int? shardCount, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Path.Join(root, RunJournal.FolderName)))
        {
            throw new ShardMergeException(Directory.Exists(root) ? $"no shards in {root}: nothing to merge" : $"output folder not found: {root}");
        }

        // Exclusive: refused while any shard still runs (each holds the folder shared).
        using var folderLock = OutputFolderLock.Acquire(root);
        var count = CountOf(root, shardCount);
        var records = Check(root, count, out var report);
        cancellationToken.ThrowIfCancellationRequested();

        // Nothing runs in the folder now: what a killed shard left half written can go.
        TempFileSweeper.Sweep(root);
        var first = records[0];
        var written = new List<AtomicFileWriter>();
        try
        {
            var guard = new OutputGuard(first.Input, root);
            foreach (var output in first.Outputs)
            {
                var target = Path.Join(root, output);
                guard.Check(target);
                written.Add(Join(root, count, shard => Path.Join(ShardLayout.PartsFolder(root, shard), output), target, cancellationToken));
            }

            if (report is not null)
            {
                written.Add(Join(root, count, shard => ShardLayout.ReportPartPath(root, shard), report, cancellationToken));
            }

            cancellationToken.ThrowIfCancellationRequested();
            foreach (var writer in written)
            {
                writer.Commit();
            }
        }
        finally
        {
            foreach (var writer in written)
            {
                writer.Dispose();
            }
        }

        return new ShardMergeResult(
            count,
            [.. written.Select(w => w.TargetPath)],
            records.Sum(r => r.Found),
            records.Sum(r => r.Succeeded),
            records.Sum(r => r.Failed),
            records.Sum(r => r.Skipped),
            [.. records.Where(r => r.Failed > 0).Select(r => r.Index)]);
    }

    private static int CountOf(string root, int? shardCount)
    {
        if (shardCount is { } count)
        {
            return count;
        }

        var found = ShardLayout.Find(root);
        return found.Count switch
        {
            0 => throw new ShardMergeException($"no shards in {root}: nothing to merge"),
            1 => found.Keys.Single(),
            _ => throw new ShardMergeException($"{root} holds the shards of jobs of {string.Join(" and ", found.Keys)} shards: say how many to merge"),
        };
    }

    /// <summary>Joins one output's parts, by relative path, into an uncommitted atomic write of <paramref name="target"/>.</summary>
    private static AtomicFileWriter Join(string root, int count, Func<Shard, string> partOf, string target, CancellationToken cancellationToken)
    {
        var writer = AtomicFileWriter.Create(target, asynchronous: false, OutputAccess.Describing(0)); // private until its parts say more
        var readers = new IndexedPartReader?[count];
        var current = 0;
        try
        {
            for (current = 0; current < count; current++)
            {
                readers[current] = IndexedPartReader.Open(partOf(new Shard(current, count)));
            }

            // The joined output is no more readable than any of its parts (each as private as its shard's inputs).
            if (!OperatingSystem.IsWindows())
            {
                var shared = (UnixFileMode)0x1FF;
                for (current = 0; current < count; current++)
                {
                    shared &= File.GetUnixFileMode(partOf(new Shard(current, count)));
                }

                writer.Access = OutputAccess.Describing(shared);
            }

            var header = readers[0]!.Header;
            for (current = 1; current < count; current++)
            {
                if (!readers[current]!.Header.AsSpan().SequenceEqual(header))
                {
                    throw new InvalidDataException($"its part of {target} does not start as shard 0's does");
                }
            }

            writer.Write(header);
            var next = new PriorityQueue<int, string>(Sources.PathOrder.Instance);
            for (current = 0; current < count; current++)
            {
                if (readers[current]!.MoveNext())
                {
                    next.Enqueue(current, readers[current]!.Path);
                }
            }

            var buffer = new byte[64 * 1024];
            string? previous = null;
            var copied = 0L;
            while (next.TryDequeue(out current, out var path))
            {
                if (previous == path)
                {
                    throw new InvalidDataException($"{path} is in the part of {target} of another shard too");
                }

                var reader = readers[current]!;
                reader.CopyTo(writer, buffer);
                previous = path;
                if (++copied % 4096 == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (reader.MoveNext())
                {
                    next.Enqueue(current, reader.Path);
                }
            }

            return writer;
        }
        catch (Exception ex) when (ex is InvalidDataException or FileNotFoundException or DirectoryNotFoundException)
        {
            writer.Dispose();
            throw new ShardMergeException([$"shard {current} of {count}: {ex.Message}"], [], [current], ex);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
        finally
        {
            foreach (var reader in readers)
            {
                reader?.Dispose();
            }
        }
    }

    /// <summary>"shard 3", or "shards 1, 4, 7" (the first few, then how many more).</summary>
    private static string Name(IEnumerable<int> shards)
    {
        var list = shards.ToList();
        var named = string.Join(", ", list.Take(ShardsNamed).Select(i => i.ToString(CultureInfo.InvariantCulture)));
        var more = list.Count > ShardsNamed ? $" and {list.Count - ShardsNamed} more" : string.Empty;
        return list.Count == 1 ? $"shard {named}" : $"shards {named}{more}";
    }
}
