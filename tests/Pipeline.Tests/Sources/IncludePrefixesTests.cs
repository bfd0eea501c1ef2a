using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Sources;

/// <summary>Which folders the walk enters for given include patterns: never one below which no pattern can match, always one below which one might.</summary>
public sealed class IncludePrefixesTests
{
    [Theory]
    [InlineData("etc/hostname", "etc", true)]
    [InlineData("etc/hostname", "proc", false)]
    [InlineData("etc/hostname", "etc/sub", false)] // the last segment names files
    [InlineData("*.csv", "data", false)] // a pattern without a folder takes the root's files only
    [InlineData("**/*.csv", "a/b/c", true)]
    [InlineData("data/**", "data/deep/deeper", true)]
    [InlineData("data/**", "other", false)]
    [InlineData("data/**/x.txt", "data/a/b", true)]
    [InlineData("d*/x.txt", "data", true)]
    [InlineData("d*/x.txt", "other", false)]
    [InlineData("a*b*c/x", "aXbYc", true)]
    [InlineData("a*b*c/x", "aXcYb", false)]
    [InlineData("./etc/hostname", "etc", true)]
    [InlineData("/etc/hostname", "usr", false)]
    [InlineData("a?/x", "zz", true)] // not a wildcard the globbing library has: cannot judge, so walked
    public void CouldHoldMatches_FolderAgainstOnePattern_AsTheGlobAllows(string include, string folder, bool expected)
    {
        var sut = new IncludePrefixes([include], StringComparison.Ordinal);

        Assert.Equal(expected, sut.CouldHoldMatches(folder));
    }

    [Fact]
    public void CouldHoldMatches_SeveralPatterns_AnyOfThemMayMatch()
    {
        var sut = new IncludePrefixes(["etc/hostname", "var/log/*.log"], StringComparison.Ordinal);

        Assert.True(sut.CouldHoldMatches("var/log"));
        Assert.True(sut.CouldHoldMatches("etc"));
        Assert.False(sut.CouldHoldMatches("var/lib"));
        Assert.False(sut.CouldHoldMatches("proc"));
    }

    [LinuxFact]
    public void Enumerate_IncludeOfOneFile_NeverEntersAFolderThatCannotHoldIt()
    {
        using var temp = new Support.TempDir();
        temp.Write("in/etc/hostname", "host\n");
        temp.Write("in/proc/1/status", "x");
        Directory.CreateSymbolicLink(temp.Sub("in/proc/1/loop"), ".."); // an error wherever the walk meets it

        var everything = GlobFileSource.Enumerate(new FileSelection(temp.Sub("in")) { Include = ["**/*"], FollowSymlinks = true }).ToList();
        var one = GlobFileSource.Enumerate(new FileSelection(temp.Sub("in")) { Include = ["etc/hostname"], FollowSymlinks = true }).ToList();

        Assert.Contains(everything, f => f.EnumerationError is not null && f.RelativePath.StartsWith("proc/", StringComparison.Ordinal));
        Assert.Equal(["etc/hostname"], one.Select(f => f.RelativePath));
        Assert.All(one, f => Assert.Null(f.EnumerationError));
    }
}
