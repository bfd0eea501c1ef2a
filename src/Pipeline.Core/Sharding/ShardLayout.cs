using System.Globalization;
using System.Text.RegularExpressions;
using Pipeline.Unattended;

namespace Pipeline.Sharding;

/// <summary>
/// Where a shard keeps its state in the shared output folder: <c>.pipeline/shard-I-of-N/</c>, holding its lock, its
/// journal, its part of every aggregate output (<c>parts/</c>), its part of the report, and its completion record.
/// Shards of one job never write the same file; only <see cref="ShardMerger"/> writes the final aggregate outputs.
/// </summary>
internal static partial class ShardLayout
{
    /// <summary>The completion record's file name.</summary>
    public const string RecordName = "complete.json";

    /// <summary>The folder of the shard's parts of the aggregate outputs.</summary>
    public const string PartsName = "parts";

    /// <summary>The shard's part of the per-file report.</summary>
    public const string ReportPartName = "report.csv";

    /// <summary>What marks a part complete, beside it: where each file's bytes are (see <see cref="IndexedPartWriter"/>).</summary>
    public const string IndexSuffix = ".index";

    /// <summary>The folder under the output root where <paramref name="shard"/> (or, for <see langword="null"/>, an unsharded run) keeps its state.</summary>
    public static string StateFolder(string outputRoot, Shard? shard) =>
        shard is null ? Path.Join(outputRoot, RunJournal.FolderName) : Path.Join(outputRoot, RunJournal.FolderName, FolderName(shard.Index, shard.Count));

    public static string FolderName(int index, int count) => string.Create(CultureInfo.InvariantCulture, $"shard-{index}-of-{count}");

    public static string PartsFolder(string outputRoot, Shard shard) => Path.Join(StateFolder(outputRoot, shard), PartsName);

    public static string RecordPath(string outputRoot, Shard shard) => Path.Join(StateFolder(outputRoot, shard), RecordName);

    public static string ReportPartPath(string outputRoot, Shard shard) => Path.Join(StateFolder(outputRoot, shard), ReportPartName);

    /// <summary>Removes what an earlier run of this shard finished (record, parts), so that until this run finishes the shard never looks complete.</summary>
    public static void ClearFinished(string outputRoot, Shard shard)
    {
        File.Delete(RecordPath(outputRoot, shard));
        var report = ReportPartPath(outputRoot, shard);
        File.Delete(report + IndexSuffix);
        File.Delete(report);
        var parts = PartsFolder(outputRoot, shard);
        if (Directory.Exists(parts))
        {
            Directory.Delete(parts, recursive: true);
        }
    }

    /// <summary>The shard counts of the shard folders under <paramref name="outputRoot"/>, each with the indexes found.</summary>
    public static SortedDictionary<int, SortedSet<int>> Find(string outputRoot)
    {
        var found = new SortedDictionary<int, SortedSet<int>>();
        var state = Path.Join(outputRoot, RunJournal.FolderName);
        if (!Directory.Exists(state))
        {
            return found;
        }

        foreach (var folder in Directory.EnumerateDirectories(state))
        {
            var match = FolderPattern().Match(Path.GetFileName(folder));
            if (match.Success
                && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && int.TryParse(match.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                && index < count)
            {
                if (!found.TryGetValue(count, out var indexes))
                {
                    found[count] = indexes = [];
                }

                indexes.Add(index);
            }
        }

        return found;
    }

    [GeneratedRegex("^shard-([0-9]{1,5})-of-([0-9]{1,5})$", RegexOptions.CultureInvariant)]
    private static partial Regex FolderPattern();
}
