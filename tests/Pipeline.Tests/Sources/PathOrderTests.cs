using Pipeline.Hashing;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;
using Pipeline.Transforms;
using Pipeline.Unattended;

namespace Pipeline.Tests.Sources;

/// <summary>Paths in the byte order of <c>LC_ALL=C sort</c> (UTF-8), not UTF-16's, and a journal of the old order redone.</summary>
public sealed class PathOrderTests
{
    [Theory]
    [InlineData("a", "b", -1)]
    [InlineData("a/x", "a-b", 1)] // '/' (0x2F) after '-' (0x2D)
    [InlineData("ab", "a", 1)]
    [InlineData("\U0001F600", "\uE000", 1)] // F0 9F 98 80 after EE 80 80; UTF-16 puts D83D first
    [InlineData("\U00010000", "\uFFFD", 1)]
    [InlineData("\uD7FF", "\U00010000", -1)] // below the surrogates both orders agree
    [InlineData("x\uFB01", "x\uFB01", 0)]
    public void Compare_TwoPaths_OrdersAsTheirUtf8Bytes(string x, string y, int sign)
    {
        Assert.Equal(sign, Math.Sign(PathOrder.Compare(x, y)));
        Assert.Equal(sign, Math.Sign(Utf8Compare(x, y)));
    }

    [LinuxFact]
    public async Task Enumerate_NamesAboveUFFFF_WalksInTheOrderOfLcAllCSort()
    {
        using var temp = new TempDir();
        string[] names = ["\U0001F600", "\uE000", "\uFFFD.d/x", "\U00010000.d/y", "plain", "\uFB01"];
        foreach (var name in names)
        {
            temp.Write("in/" + name, "x");
        }

        var expected = await CoreutilsSort.SortAsync(temp, names);

        Assert.Equal(expected, GlobFileSource.Enumerate(new FileSelection(temp.Sub("in"))).Select(f => f.RelativePath));
    }

    [Fact]
    public async Task Resume_JournalWrittenUnderTheUtf16Order_RedoesItsFilesAndManifest()
    {
        using var temp = new TempDir();
        temp.Write("in/a\U0001F600.txt", "one");
        temp.Write("in/a\uE000.txt", "two");
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out"));
        await DataflowRunner.RunAsync(new HashTransform(), options);

        // As a journal written before manifests were sorted by UTF-8 bytes holds it: the transform's fingerprint alone.
        var journal = RunJournal.PathFor(temp.Sub("out"));
        var fingerprint = ((IFileTransform)new HashTransform()).Fingerprint;
        var text = await File.ReadAllTextAsync(journal);
        Assert.Contains($"\"{RunJournal.FingerprintOf(new HashTransform())}\"", text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(journal, text.Replace(RunJournal.FingerprintOf(new HashTransform()), fingerprint, StringComparison.Ordinal));

        var resumed = await DataflowRunner.RunAsync(new HashTransform(), options.With(o => o.Resume = true));
        var again = await DataflowRunner.RunAsync(new HashTransform(), options.With(o => o.Resume = true));

        Assert.Equal((2, 0), (resumed.FilesSucceeded, resumed.FilesSkipped));
        Assert.Equal((0, 2), (again.FilesSucceeded, again.FilesSkipped));
        Assert.Equal(["a\uE000.txt", "a\U0001F600.txt"], (await File.ReadAllLinesAsync(temp.Sub("out/SHA256SUMS"))).Select(l => l[66..]));
    }

    private static int Utf8Compare(string x, string y) =>
        System.Text.Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(y));
}
