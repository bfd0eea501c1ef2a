using System.Globalization;
using Pipeline.IO;
using Pipeline.Running;
using Pipeline.Safety;
using Pipeline.Unattended;

namespace Pipeline.Sharding;

/// <summary>The merge, continued: whether every shard finished with the same settings and left every part, and what to say when not.</summary>
public static partial class ShardMerger
{
    /// <summary>Every shard's record, once each has finished with the same settings and left every part; the report's target if they wrote one.</summary>
    private static ShardRecord[] Check(string root, int count, out string? report)
    {
        var problems = new List<string>();
        var missing = new List<int>();
        var inconsistent = new List<int>();
        var records = new ShardRecord?[count];
        var unfinished = new List<int>();
        for (var i = 0; i < count; i++)
        {
            var shard = new Shard(i, count);
            var path = ShardLayout.RecordPath(root, shard);
            if (!File.Exists(path))
            {
                unfinished.Add(i);
                continue;
            }

            try
            {
                var record = ShardRecord.Read(path);
                if (record.Index != i || record.Count != count)
                {
                    inconsistent.Add(i);
                    problems.Add($"shard {i} of {count}: its record {path} is shard {record.Index} of {record.Count}'s");
                }
                else if (record.Outputs.FirstOrDefault(o => !IndexedPartReader.Exists(Path.Join(ShardLayout.PartsFolder(root, shard), o))) is { } lost)
                {
                    missing.Add(i);
                    problems.Add($"shard {i} of {count}: its part of {lost} is missing from {ShardLayout.PartsFolder(root, shard)}; run it again");
                }
                else
                {
                    records[i] = record;
                }
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                inconsistent.Add(i);
                problems.Add($"shard {i} of {count}: {ex.Message}");
            }
        }

        if (unfinished.Count > 0)
        {
            missing.AddRange(unfinished);
            var record = unfinished.Count == 1
                ? Path.Join(RunJournal.FolderName, ShardLayout.FolderName(unfinished[0], count), ShardLayout.RecordName)
                : Path.Join(RunJournal.FolderName, $"shard-I-of-{count}", ShardLayout.RecordName);
            problems.Insert(0, $"{Name(unfinished)} of {count} {(unfinished.Count > 1 ? "have" : "has")} not finished (no completion record {record}): "
                + $"run {(unfinished.Count > 1 ? "them" : "it")} again; resuming keeps what was done");
        }

        var finished = records.Where(r => r is not null).Select(r => r!).ToList();
        if (finished.Count > 0)
        {
            var first = finished[0];
            foreach (var other in finished.Skip(1))
            {
                if (first.Difference(other) is { } difference)
                {
                    inconsistent.Add(other.Index);
                    problems.Add($"shard {other.Index} of {count} was run with other settings than shard {first.Index}: {difference}");
                }
            }
        }

        report = ReportTarget(root, count, finished, problems, missing, inconsistent);
        if (problems.Count > 0)
        {
            throw new ShardMergeException(problems, [.. missing.Distinct().Order()], [.. inconsistent.Distinct().Order()]);
        }

        return [.. finished];
    }

    /// <summary>Where the report goes if the shards wrote parts of one: all of them, to one target.</summary>
    private static string? ReportTarget(string root, int count, List<ShardRecord> finished, List<string> problems, List<int> missing, List<int> inconsistent)
    {
        var targets = new SortedDictionary<int, string>();
        foreach (var record in finished)
        {
            var part = ShardLayout.ReportPartPath(root, new Shard(record.Index, count));
            if (!IndexedPartReader.Exists(part))
            {
                continue;
            }

            try
            {
                using var reader = IndexedPartReader.Open(part);
                targets[record.Index] = reader.Target;
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                inconsistent.Add(record.Index);
                problems.Add($"shard {record.Index} of {count}: {ex.Message}");
            }
        }

        if (targets.Count == 0)
        {
            return null;
        }

        var without = finished.Select(r => r.Index).Where(i => !targets.ContainsKey(i) && !inconsistent.Contains(i)).ToList();
        if (without.Count > 0)
        {
            missing.AddRange(without);
            problems.Add($"{Name(without)} of {count} wrote no part of the report that {Name(targets.Keys)} wrote to {targets.Values.First()}: run {(without.Count > 1 ? "them" : "it")} again with that report");
        }

        var target = targets.Values.First();
        var elsewhere = targets.Where(t => t.Value != target).Select(t => t.Key).ToList();
        if (elsewhere.Count > 0)
        {
            inconsistent.AddRange(elsewhere);
            problems.Add($"{Name(elsewhere)} of {count} wrote {(elsewhere.Count > 1 ? "their" : "its")} report for {targets[elsewhere[0]]}, shard {targets.Keys.First()} for {target}");
        }

        return target;
    }
}
