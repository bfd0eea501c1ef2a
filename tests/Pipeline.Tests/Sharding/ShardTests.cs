using System.Globalization;
using Pipeline.Running;
using Pipeline.Sharding;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Sharding;

/// <summary>
/// The assignment of files to shards: a pure function of the normalised path, the same in every process and on every
/// machine. Expected shards come from outside .NET: precomputed with Python's <c>hashlib</c> and <c>unicodedata</c>
/// (<c>int.from_bytes(sha256(nfc(p).encode()).digest()[:8], "big") % n</c>), and recomputed with coreutils' <c>sha256sum</c>.
/// </summary>
public sealed class ShardTests
{
    public static TheoryData<string, int, int> Precomputed() => new()
    {
        // path, count, shard — from the Python line above, run once; never from this code.
        { "a.txt", 2, 1 }, { "a.txt", 3, 2 }, { "a.txt", 16, 5 }, { "a.txt", 1000, 629 }, { "a.txt", 65536, 41973 },
        { "csv/good/people.csv", 4, 2 }, { "csv/good/people.csv", 16, 10 }, { "csv/good/people.csv", 1000, 714 },
        { "odd names/caf\u00e9 menu.txt", 16, 4 }, { "odd names/caf\u00e9 menu.txt", 65536, 44580 },
        { "deep/a/b/c/d/e/f.bin", 1000, 476 },
        { "\u65e5\u672c\u8a9e/\u30d5\u30a1\u30a4\u30eb.csv", 16, 9 }, { "\u65e5\u672c\u8a9e/\u30d5\u30a1\u30a4\u30eb.csv", 65536, 32153 },
        { "x", 1000, 876 },
        { "emoji \U0001F600.txt", 1000, 970 },
        { "data/2024-01-01/part-00017.parquet", 16, 8 }, { "data/2024-01-01/part-00017.parquet", 65536, 19896 },
    };

    [Theory]
    [MemberData(nameof(Precomputed))]
    public void IndexOf_FixedPath_IsTheShardPythonsHashlibComputes(string path, int count, int expected)
    {
        Assert.Equal(expected, Shard.IndexOf(path, count));
        Assert.True(new Shard(expected, count).Contains(path));
    }

    [Fact]
    public void IndexOf_DecomposedUnicode_IsTheShardOfItsComposedForm()
    {
        // "café" typed on macOS (NFD: e + combining acute) and on Linux (NFC: é) is one file, in one shard.
        Assert.Equal(4, Shard.IndexOf("odd names/cafe\u0301 menu.txt", 16));
        Assert.Equal(44580, Shard.IndexOf("odd names/cafe\u0301 menu.txt", 65536));
    }

    [Fact]
    public void IndexOf_OneShard_IsAlwaysZero()
    {
        Assert.All(Paths(1000, seed: 1), p => Assert.Equal(0, Shard.IndexOf(p, 1)));
    }

    [LinuxFact]
    public async Task IndexOf_RandomPaths_MatchesSha256sumInAnotherProcess()
    {
        using var temp = new TempDir();
        var paths = Paths(200, seed: 2);
        var list = temp.Write("paths.txt", string.Join('\n', paths) + "\n");

        // One shell, one sha256sum per path: the first 16 hex digits are the big-endian 8 bytes.
        var outcome = await ExternalCommand.RunAsync("sh", ["-c", "while IFS= read -r p; do printf '%s' \"$p\" | sha256sum; done < \"$1\"", "sh", list], temp.Path, TimeSpan.FromMinutes(2));

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var digests = outcome.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(paths.Count, digests.Length);
        foreach (var (path, digest) in paths.Zip(digests))
        {
            var value = ulong.Parse(digest.AsSpan(0, 16), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            foreach (var count in (int[])[2, 3, 7, 16, 1000])
            {
                Assert.Equal((int)(value % (ulong)count), Shard.IndexOf(path, count));
            }
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(16)]
    [InlineData(100)]
    public void IndexOf_100000Paths_AreBalancedWithinAFewPercent(int count)
    {
        var sizes = new int[count];
        foreach (var path in Paths(100_000, seed: 3))
        {
            sizes[Shard.IndexOf(path, count)]++;
        }

        // Binomial spread: for 16 shards, one standard deviation is 0.95 % of a shard's 6,250; 100 shards: 3 %.
        var expected = 100_000.0 / count;
        var tolerance = count <= 16 ? 0.05 : 0.15;
        Assert.All(sizes, size => Assert.InRange(size, expected * (1 - tolerance), expected * (1 + tolerance)));
    }

    [Fact]
    public void IndexOf_ShuffledOrMoreFiles_EveryFileKeepsItsShard()
    {
        var paths = Paths(5000, seed: 4);
        var first = paths.ToDictionary(p => p, p => Shard.IndexOf(p, 16), StringComparer.Ordinal);

        var shuffled = paths.ToArray();
        new Random(5).Shuffle(shuffled);
        var grown = shuffled.Concat(Paths(5000, seed: 6)).ToList();
        var again = grown.Select(p => (Path: p, Shard: Shard.IndexOf(p, 16))).ToList();

        Assert.All(again.Where(a => first.ContainsKey(a.Path)), a => Assert.Equal(first[a.Path], a.Shard));
        Assert.Equal(paths.Count, again.Count(a => first.ContainsKey(a.Path)));
    }

    [Fact]
    public void Contains_EveryPath_IsInExactlyOneShard()
    {
        var shards = Enumerable.Range(0, 7).Select(i => new Shard(i, 7)).ToList();
        Assert.All(Paths(2000, seed: 7), p => Assert.Single(shards, s => s.Contains(p)));
    }

    [Theory]
    [InlineData(-1, 4)]
    [InlineData(4, 4)]
    [InlineData(0, 0)]
    [InlineData(0, Shard.MaxCount + 1)]
    public void Constructor_OutOfRange_Throws(int index, int count)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Shard(index, count));
    }

    [Fact]
    public void ToString_IsIndexSlashCount()
    {
        Assert.Equal("3/16", new Shard(3, 16).ToString());
    }

    // ---------------------------------------------------------------- scheduler variables

    public static TheoryData<string> Variables() => [.. Shard.IndexVariables];

    [Theory]
    [MemberData(nameof(Variables))]
    public void FromEnvironment_OnlyThisVariableSet_TakesItsIndex(string variable)
    {
        var sut = Shard.FromEnvironment(16, Env((variable, "11")));

        Assert.Equal(new Shard(11, 16), sut);
    }

    [Fact]
    public void IndexVariables_AreSlurmKubernetesAwsBatchCloudRun_InThatOrder()
    {
        Assert.Equal(["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX", "CLOUD_RUN_TASK_INDEX"], Shard.IndexVariables);
    }

    [Theory]
    [InlineData("SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX")]
    [InlineData("JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX")]
    [InlineData("AWS_BATCH_JOB_ARRAY_INDEX", "CLOUD_RUN_TASK_INDEX")]
    [InlineData("SLURM_ARRAY_TASK_ID", "CLOUD_RUN_TASK_INDEX")]
    public void FromEnvironment_TwoSet_TheEarlierInTheOrderWins(string earlier, string later)
    {
        Assert.Equal(2, Shard.FromEnvironment(4, Env((later, "3"), (earlier, "2"))).Index);
    }

    [Fact]
    public void FromEnvironment_SlurmArrayResubmittedForOneIndex_CountComesFromTheCaller()
    {
        // sbatch --array=2 alone: Slurm says the array has 1 task; the job still has 4 shards.
        var sut = Shard.FromEnvironment(4, Env(("SLURM_ARRAY_TASK_ID", "2"), ("SLURM_ARRAY_TASK_COUNT", "1"), ("SLURM_ARRAY_TASK_MAX", "2")));

        Assert.Equal(new Shard(2, 4), sut);
    }

    [Fact]
    public void FromEnvironment_NoneSet_ThrowsNamingEveryVariable()
    {
        var ex = Assert.Throws<PipelineOptionsException>(() => Shard.FromEnvironment(4, Env(("JOB_COMPLETION_INDEX", ""))));

        Assert.Equal(nameof(PipelineOptions.Shard), Assert.Single(ex.Problems).Property);
        Assert.All(Shard.IndexVariables, v => Assert.Contains(v, ex.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("SLURM_ARRAY_TASK_ID", "4")]
    [InlineData("JOB_COMPLETION_INDEX", "-1")]
    [InlineData("AWS_BATCH_JOB_ARRAY_INDEX", "one")]
    [InlineData("CLOUD_RUN_TASK_INDEX", "99999999999")]
    public void FromEnvironment_OutOfRangeOrNotANumber_ThrowsNamingTheVariableAndValue(string variable, string value)
    {
        var ex = Assert.Throws<PipelineOptionsException>(() => Shard.FromEnvironment(4, Env((variable, value))));

        Assert.Contains($"{variable}={value}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("0 to 3", ex.Message, StringComparison.Ordinal);
    }

    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.Where(v => v.Name == name).Select(v => v.Value).FirstOrDefault();

    /// <summary>Paths like a real tree's: a few folders deep, mixed names, some non-ASCII.</summary>
    private static List<string> Paths(int count, int seed)
    {
        var random = new Random(seed);
        string[] folders = ["data", "logs", "csv/good", "2024/01", "odd names", "\u00e9t\u00e9", "a/b/c"];
        return [.. Enumerable.Range(0, count).Select(i => $"{folders[random.Next(folders.Length)]}/{random.Next():x}-{i}.{(i % 3 == 0 ? "csv" : "bin")}")];
    }
}
