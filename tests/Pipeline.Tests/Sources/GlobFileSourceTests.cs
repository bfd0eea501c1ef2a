using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Sources;

public sealed class GlobFileSourceTests
{
    private static List<string> List(string root, string[]? include = null, string[]? exclude = null, bool follow = false) =>
        [.. GlobFileSource.Enumerate(new FileSelection(root)
        {
            Include = include ?? [FileSelection.AllFiles],
            Exclude = exclude ?? [],
            FollowSymlinks = follow,
        }).Select(f => f.RelativePath)];

    [Fact]
    public void Enumerate_NestedTree_YieldsOrdinalOrderOfFullPaths()
    {
        using var temp = new TempDir();
        foreach (var path in (string[])["a/x.txt", "a-b.txt", "B.txt", "a.txt", "a/b/c.txt", "z/y.txt", "ab.txt"])
        {
            temp.Write(path, path);
        }

        var listed = List(temp.Path);

        Assert.Equal(["B.txt", "a-b.txt", "a.txt", "a/b/c.txt", "a/x.txt", "ab.txt", "z/y.txt"], listed);
        Assert.Equal(listed.Order(StringComparer.Ordinal), listed);
    }

    [Fact]
    public void Enumerate_IncludeAndExclude_TakeOnlyMatchingFiles()
    {
        using var temp = new TempDir();
        foreach (var path in (string[])["data/a.csv", "data/b.txt", "data/old/c.csv", "d.csv", "logs/e.csv"])
        {
            temp.Write(path, "x");
        }

        Assert.Equal(["d.csv", "data/a.csv", "data/old/c.csv", "logs/e.csv"], List(temp.Path, ["**/*.csv"]));
        Assert.Equal(["d.csv", "data/a.csv"], List(temp.Path, ["**/*.csv"], ["data/old/**", "logs/**"]));
        Assert.Equal(["data/a.csv", "data/b.txt"], List(temp.Path, ["data/*"]));
        Assert.Equal(["d.csv", "data/a.csv", "data/b.txt"], List(temp.Path, ["*.csv", "data/*"]));
        Assert.Empty(List(temp.Path, ["**/*.json"]));
    }

    [Fact]
    public void Enumerate_IsLazy_FirstFileArrivesBeforeTheWalkEnds()
    {
        using var temp = new TempDir();
        temp.Write("a/1.txt", "1");
        temp.Write("b/2.txt", "2");

        using var files = GlobFileSource.Enumerate(new FileSelection(temp.Path)).GetEnumerator();
        Assert.True(files.MoveNext());
        Assert.Equal("a/1.txt", files.Current.RelativePath);

        // A file created after the first one was yielded, in a folder the walk has not entered yet, is still found.
        temp.Write("b/3.txt", "3");
        var rest = new List<string>();
        while (files.MoveNext())
        {
            rest.Add(files.Current.RelativePath);
        }

        Assert.Equal(["b/2.txt", "b/3.txt"], rest);
    }

    [LinuxFact]
    public void Enumerate_Symlinks_SkippedByDefaultFollowedOnRequest()
    {
        using var temp = new TempDir();
        temp.Write("in/real/file.txt", "real");
        temp.Write("elsewhere/outside.txt", "outside");
        File.CreateSymbolicLink(temp.Sub("in/link.txt"), temp.Sub("in/real/file.txt"));
        Directory.CreateSymbolicLink(temp.Sub("in/linked-dir"), temp.Sub("elsewhere"));
        Directory.CreateSymbolicLink(temp.Sub("in/real/loop"), temp.Sub("in"));

        Assert.Equal(["real/file.txt"], List(temp.Sub("in")));
        Assert.Equal(["link.txt", "linked-dir/outside.txt", "real/file.txt", "real/loop/"], List(temp.Sub("in"), follow: true));
        var loop = GlobFileSource.Enumerate(new FileSelection(temp.Sub("in")) { FollowSymlinks = true }).Single(f => f.RelativePath == "real/loop/");
        Assert.Equal("symbolic link loop: leads back to the input folder; not followed", loop.EnumerationError);
    }

    [Fact]
    public async Task RunAsync_OutputFolderInsideInput_IsNeverReadAsInput()
    {
        using var temp = new TempDir();
        temp.Write("a.txt", "a");
        temp.Write("sub/b.txt", "b");
        var output = temp.Sub("out");
        temp.Write("out/stale-from-last-run.txt", "stale");
        var options = new PipelineOptions(new FileSelection(temp.Path), output);

        var first = await DataflowRunner.RunAsync(new Pipeline.Hashing.HashTransform(), options);
        var second = await DataflowRunner.RunAsync(new Pipeline.Hashing.HashTransform(), options);

        Assert.Equal(["a.txt", "sub/b.txt"], first.Results.Select(r => r.RelativePath));
        Assert.Equal(["a.txt", "sub/b.txt"], second.Results.Select(r => r.RelativePath));
        Assert.Equal(2, File.ReadAllLines(Path.Join(output, "SHA256SUMS")).Length);
    }

    [Fact]
    public void Validate_OutputSameAsInputOrAboveIt_ReportsEveryProblemAtOnce()
    {
        using var temp = new TempDir();
        var same = new PipelineOptions(new FileSelection(temp.Path) { Include = [] }, temp.Path);
        var above = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Path);
        Directory.CreateDirectory(temp.Sub("in"));

        var sameError = Assert.Throws<PipelineOptionsException>(same.Validate);
        var aboveError = Assert.Throws<PipelineOptionsException>(above.Validate);

        Assert.Equal(2, sameError.Problems.Count);
        Assert.Contains(sameError.Problems, p => p.Reason.StartsWith("output folder must differ", StringComparison.Ordinal));
        Assert.Contains(sameError.Problems, p => p.ToString() == "Selection.Include: needs at least one pattern");
        Assert.Single(aboveError.Problems);
    }

    [Fact]
    public void Options_OutOfRangeValues_AreRejectedWhenSet()
    {
        var selection = new FileSelection(".");
        Assert.Throws<ArgumentOutOfRangeException>(() => new PipelineOptions(selection, "out") { MaxDegreeOfParallelism = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new PipelineOptions(selection, "out") { IoConcurrency = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new PipelineOptions(selection, "out") { ChunkSize = 100 });
    }
}
