using Pipeline.Running;
using Pipeline.Sharding;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Contract;

/// <summary>Symbolic links a run does not follow: never silent, counted the same by each runner (issue #29).</summary>
public abstract partial class RunnerContract
{
    // ---------------------------------------------------------------- 14. links not followed are counted

    [LinuxFact]
    public async Task Run_LinksNotFollowed_CountsThoseThePatternsWouldTake()
    {
        using var temp = LinkedTree();
        var selection = new FileSelection(temp.Sub("in")) { Include = ["**/*.txt"] };

        var summary = await RunAsync(new XorTransform(), Options(temp).With(o => o.Selection = selection)).WaitAsync(Patience);

        // a-link.txt, the broken broken.txt and dir-link (a folder that could hold *.txt); not b-link.bin, which *.txt does not take.
        Assert.Equal(3, summary.SymbolicLinksNotFollowed);
        Assert.Equal(["a.txt", "sub/c.txt"], summary.Results.Select(r => r.RelativePath));
        Assert.All(summary.Results, r => Assert.Equal(FileStatus.Succeeded, r.Status));
    }

    [LinuxFact]
    public async Task Run_LinksFollowed_CountsNoneAndTakesWhatTheyLeadTo()
    {
        using var temp = LinkedTree();
        var selection = new FileSelection(temp.Sub("in")) { Include = ["**/*.txt"], FollowSymlinks = true };

        var summary = await RunAsync(new XorTransform(), Options(temp).With(o => { o.Selection = selection; o.Retries = 0; })).WaitAsync(Patience);

        Assert.Equal(0, summary.SymbolicLinksNotFollowed);
        Assert.Equal(FileStatus.Succeeded, Result(summary, "a-link.txt").Status);
        Assert.Equal(FileStatus.Succeeded, Result(summary, "dir-link/c.txt").Status);
        Assert.Equal(FileStatus.Failed, Result(summary, "broken.txt").Status);
    }

    [LinuxFact]
    public async Task Run_LinksNotFollowedInShards_EachShardCountsItsOwn()
    {
        using var temp = LinkedTree();
        var counts = new List<int>();
        for (var index = 0; index < 2; index++)
        {
            var summary = await RunAsync(new Pipeline.Hashing.HashTransform(), Options(temp).With(o => o.Shard = new Shard(index, 2))).WaitAsync(Patience);
            counts.Add(summary.SymbolicLinksNotFollowed);
        }

        Assert.Equal(4, counts.Sum()); // every link in exactly one shard
    }

    private static TempDir LinkedTree()
    {
        var temp = new TempDir();
        temp.Write("in/a.txt", "alpha");
        temp.Write("in/sub/c.txt", "charlie");
        File.CreateSymbolicLink(temp.Sub("in/a-link.txt"), temp.Sub("in/a.txt"));
        File.CreateSymbolicLink(temp.Sub("in/b-link.bin"), temp.Sub("in/a.txt"));
        File.CreateSymbolicLink(temp.Sub("in/dir-link"), temp.Sub("in/sub"));
        File.CreateSymbolicLink(temp.Sub("in/broken.txt"), temp.Sub("in/nowhere"));
        return temp;
    }
}
