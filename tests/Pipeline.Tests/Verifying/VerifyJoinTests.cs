using Pipeline.IO;
using Pipeline.Tests.Support;
using Pipeline.Verifying;

namespace Pipeline.Tests.Verifying;

public sealed class VerifyJoinTests
{
    private static readonly byte[] A = [1], B = [2], C = [3];

    [Fact]
    public void Join_EveryCase_GivesTheRightWord()
    {
        JoinRecord[] manifest = [M("changed", A), M("gone", [9]), M("moved-from", C), M("same", A), M("unreadable", A)];
        JoinRecord[] files = [F("added", B, 0), F("changed", B), F("moved-to", C), F("same", A), F("unreadable", null, "permission denied")];

        var sut = VerifyJoin.Join(manifest, files).ToList();

        Assert.Equal(
            ["changed Failed", "same Ok", "unreadable Unreadable", "added New", "gone Missing", "moved-to Moved"],
            sut.Select(v => $"{v.RelativePath} {v.Status}"));
        Assert.Equal("moved-from", sut.Single(v => v.Status == VerifyStatus.Moved).MovedFrom);
        Assert.Equal("permission denied", sut.Single(v => v.Status == VerifyStatus.Unreadable).Error);
    }

    [Fact]
    public void Join_TwoNewFilesWithOneMissingDigest_OnlyOneIsMoved()
    {
        var sut = VerifyJoin.Join([M("old", A)], [F("copy1", A), F("copy2", A)]).ToList();

        Assert.Equal(["copy1 Moved", "copy2 New"], sut.Select(v => $"{v.RelativePath} {v.Status}"));
    }

    [Fact]
    public void Join_PathListedTwice_ChecksBothLinesAgainstTheOneFile()
    {
        var sut = VerifyJoin.Join([M("x", A, 1), M("x", B, 2)], [F("x", A)]).ToList();

        Assert.Equal(["x Ok", "x Failed"], sut.Select(v => $"{v.RelativePath} {v.Status}"));
    }

    [Fact]
    public void Sorter_ManyMoreRecordsThanARun_SpillsAndMergesInOrder()
    {
        using var temp = new TempDir();
        var random = new Random(14);
        var paths = Enumerable.Range(0, 2_500).Select(i => $"p{random.Next(1000):D4}/{i}").ToList();
        using var sut = new RecordSorter<JoinRecord>(temp.Sub("spill"), runLength: 100);

        foreach (var (path, i) in paths.Select((p, i) => (p, i)))
        {
            sut.Add(new JoinRecord(path, [(byte)i], null, i, i));
        }

        var sorted = sut.Sorted().Select(r => r.Path).ToList();

        Assert.False(sut.CameSorted);
        Assert.Equal(25, sut.SpilledRuns);
        Assert.Equal(paths.Order(StringComparer.Ordinal), sorted);
        Assert.NotEmpty(Directory.GetFiles(temp.Sub("spill")));
        sut.Dispose();
        Assert.Empty(Directory.GetFiles(temp.Sub("spill")));
    }

    private static JoinRecord M(string path, byte[] digest, long line = 1) => new(path, digest, null, 0, line);

    private static JoinRecord F(string path, byte[]? digest, string? error = null) => new(path, digest, error, 1, 0);

    private static JoinRecord F(string path, byte[] digest, int bytes) => new(path, digest, null, bytes, 0);
}
