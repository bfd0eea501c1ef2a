using System.Security.Cryptography;
using System.Text;
using Pipeline.IO;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;
using Pipeline.Verifying;

namespace Pipeline.Tests.Verifying;

/// <summary>
/// The library's check, through both runners: a manifest in ordinal order is joined as a stream, any other goes
/// through the external sort first; both ways give the same verdicts, in the same order, with the same counts.
/// </summary>
public sealed class ManifestVerifierTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task VerifyAsync_SortedAndUnsortedManifest_SameVerdictsInTheSameOrder(bool sequential)
    {
        using var temp = Changed(out var lines);
        var sorted = temp.Write("sorted.sha256", string.Concat(lines.OrderBy(l => l.Path, StringComparer.Ordinal).Select(l => l.Line)));

        // Paths in reverse order, but the two lines of dup.txt in file order (which decides the order of their verdicts).
        var shuffled = temp.Write("shuffled.sha256", string.Concat(lines.OrderByDescending(l => l.Path, StringComparer.Ordinal).ThenBy(l => l.Line.Contains("./", StringComparison.Ordinal)).Select(l => l.Line)));
        Assert.True(Read(sorted).Sorted);
        Assert.False(Read(shuffled).Sorted);

        var (fromSorted, sortedSummary) = await VerifyAsync(temp, sorted, sequential);
        var (fromShuffled, shuffledSummary) = await VerifyAsync(temp, shuffled, sequential);

        Assert.Equal(
            [
                "a.txt Ok", "b.txt Failed", "dup.txt Ok", "dup.txt Failed", "sub/c.txt Ok", "sub/z.txt Ok",
                "added.txt New", "gone.txt Missing", "sub/moved.txt Moved from m.txt",
            ],
            fromSorted);
        Assert.Equal(fromSorted, fromShuffled);
        Assert.Equal(
            (4L, 2L, 1L, 1L, 1L, 8L),
            (sortedSummary.Ok, sortedSummary.Failed, sortedSummary.Missing, sortedSummary.New, sortedSummary.Moved, sortedSummary.ManifestEntries));
        Assert.Equal(
            (sortedSummary.Ok, sortedSummary.Failed, sortedSummary.Missing, sortedSummary.New, sortedSummary.Moved, sortedSummary.BytesRead),
            (shuffledSummary.Ok, shuffledSummary.Failed, shuffledSummary.Missing, shuffledSummary.New, shuffledSummary.Moved, shuffledSummary.BytesRead));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task VerifyAsync_ManyFilesSortedManifest_EveryFileOkInPathOrder(bool sequential)
    {
        using var temp = new TempDir();
        var paths = Enumerable.Range(0, 500).Select(i => $"d{i % 7}/f{i:D4}.bin").Order(StringComparer.Ordinal).ToList();
        var manifest = new StringBuilder();
        foreach (var path in paths)
        {
            temp.Write("in/" + path, $"file {path}");
            manifest.Append(Hex($"file {path}")).Append("  ./").Append(path).Append('\n');
        }

        var (verdicts, summary) = await VerifyAsync(temp, temp.Write("SHA256SUMS", manifest.ToString()), sequential);

        Assert.True(Read(temp.Sub("SHA256SUMS")).Sorted);
        Assert.Equal(500, summary.Ok);
        Assert.Equal(paths.Select(p => p + " Ok"), verdicts);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task VerifyAsync_ManifestLongerThanOneSortRun_StreamedOrSortedApart_SameVerdicts(bool sequential, bool sorted)
    {
        // More lines than the external sort holds at once: a sorted manifest is read again as the files come, an
        // unsorted one goes through the sort's spilled runs. Only a few of the listed files exist.
        using var temp = new TempDir();
        var listed = RecordSorter.DefaultRunLength + 10;
        var present = new[] { 7, 40_000, listed - 1 };
        foreach (var i in present)
        {
            temp.Write($"in/f{i:D7}.txt", $"file {i}");
        }

        temp.Write("in/zz-new.txt", "not listed");
        var manifest = new StringBuilder();
        foreach (var i in sorted ? Enumerable.Range(0, listed) : Enumerable.Range(0, listed).Reverse())
        {
            manifest.Append(Hex($"file {i}")).Append("  f").Append(i.ToString("D7", System.Globalization.CultureInfo.InvariantCulture)).Append(".txt\n");
        }

        var (verdicts, summary) = await VerifyAsync(temp, temp.Write("SHA256SUMS", manifest.ToString()), sequential);

        Assert.Equal(sorted, Read(temp.Sub("SHA256SUMS")).Sorted);
        Assert.Equal((3L, listed - 3L, 1L, 0L, (long)listed), (summary.Ok, summary.Missing, summary.New, summary.Failed, summary.ManifestEntries));
        Assert.Equal(present.Select(i => $"f{i:D7}.txt Ok"), verdicts.Take(3));
        Assert.Equal("f0000000.txt Missing", verdicts[3]);
        Assert.Equal(listed + 1, verdicts.Count);
    }

    [Fact]
    public void Join_FileOutOfOrder_Throws()
    {
        using var sut = new VerifyJoin([], _ => { });
        sut.Add("b", [1], null, 1);

        Assert.Throws<InvalidOperationException>(() => sut.Add("a", [1], null, 1));
    }

    /// <summary>A tree after a manifest of it was taken: a change, a deletion, a move, an addition, a path listed twice.</summary>
    private static TempDir Changed(out List<(string Path, string Line)> lines)
    {
        var temp = new TempDir();
        lines = [];
        (string Path, string Content)[] files =
            [("a.txt", "alpha"), ("b.txt", "bravo"), ("gone.txt", "gone"), ("m.txt", "moving"), ("sub/c.txt", "charlie"), ("sub/z.txt", "zulu"), ("dup.txt", "dup")];
        foreach (var (path, content) in files)
        {
            temp.Write("in/" + path, content);
            lines.Add((path, $"{Hex(content)}  {path}\n"));
        }

        lines.Add(("dup.txt", $"{Hex("not dup")}  ./dup.txt\n")); // the same path again, with another digest: FAILED
        temp.Write("in/b.txt", "bravo, changed");
        File.Delete(temp.Sub("in/gone.txt"));
        File.Move(temp.Sub("in/m.txt"), temp.Sub("in/sub/moved.txt"));
        temp.Write("in/added.txt", "added");
        return temp;
    }

    private static string Hex(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    private static ManifestReader Read(string path)
    {
        var reader = ManifestReader.Open(path);
        foreach (var _ in reader.ReadEntries())
        {
        }

        return reader;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task VerifyAsync_LargeBlake3FilesInSubtrees_OkAndAChangeInALaterChunkFails(bool sequential)
    {
        using var temp = new TempDir();
        var random = new Random(7);
        var whole = new byte[300_000];
        random.NextBytes(whole);
        var changed = whole.ToArray();
        temp.Write("in/big.bin", whole);
        temp.Write("in/changed.bin", changed);
        var manifest = temp.Write("B3SUMS", string.Concat(
            new[] { "big.bin", "changed.bin" }.Select(name => Convert.ToHexStringLower(Blake3.Hasher.Hash(whole).AsSpan()) + "  " + name + "\n")));
        changed[200_001] ^= 1; // in the fourth chunk of 64 KiB
        temp.Write("in/changed.bin", changed);
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("unused")) { ChunkSize = 64 * 1024, MaxDegreeOfParallelism = 2 };
        var verdicts = new List<string>();

        var summary = await ManifestVerifier.VerifyAsync(manifest, options, sequential, results: new Sink(v => verdicts.Add($"{v.RelativePath} {v.Status}")));

        Assert.True(((Pipeline.Transforms.IIndependentChunks)new VerifyTransform(manifest)).Splits(options.ChunkSize, hasOutput: false)); // hashed as subtrees, as hash does
        Assert.Equal(["big.bin Ok", "changed.bin Failed"], verdicts);
        Assert.Equal((1L, 1L), (summary.Ok, summary.Failed));
    }

    private static async Task<(List<string> Verdicts, VerifySummary Summary)> VerifyAsync(TempDir temp, string manifest, bool sequential)
    {
        var verdicts = new List<string>();
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("unused")) { MaxDegreeOfParallelism = 2 };
        var summary = await ManifestVerifier.VerifyAsync(manifest, options, sequential, results: new Sink(v => verdicts.Add(v.MovedFrom is { } from ? $"{v.RelativePath} {v.Status} from {from}" : $"{v.RelativePath} {v.Status}")));
        return (verdicts, summary);
    }

    private sealed class Sink(Action<VerifyResult> report) : IProgress<VerifyResult>
    {
        public void Report(VerifyResult value) => report(value);
    }
}
