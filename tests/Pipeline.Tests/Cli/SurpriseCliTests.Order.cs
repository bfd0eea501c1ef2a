using Pipeline.Tests.Support;

namespace Pipeline.Tests.Cli;

/// <summary>Names in the byte order of <c>LC_ALL=C sort</c>.</summary>
public sealed partial class SurpriseCliTests
{
    // ---------------------------------------------------------------- byte order of names

    /// <summary>Names where UTF-16 order and UTF-8 byte order disagree: above U+FFFF (surrogate pairs) beside U+E000-U+FFFF.</summary>
    private static readonly string[] MixedNames =
    [
        "a\U0001F600.txt", "a\uE000.txt", "a\uFB01.txt", "a\U00010000.txt", "a\uFFFD.txt", "a.txt", "b\uFF21/c.txt", "b\U0001D400/c.txt",
    ];

    [LinuxFact]
    public async Task RunHashAndVerify_NamesAboveUFFFF_InTheOrderOfLcAllCSort()
    {
        using var temp = new TempDir();
        foreach (var name in MixedNames)
        {
            temp.Write("in/" + name, name);
        }

        var expected = await CoreutilsSort.SortAsync(temp, MixedNames);
        var hashed = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("sums"), "-q");
        foreach (var name in MixedNames)
        {
            temp.Write("in/" + name, "changed");
        }

        var verified = await CliRun.InvokeAsync("verify", temp.Sub("sums/SHA256SUMS"), "--root", temp.Sub("in"), "-q");
        var listed = await CliRun.InvokeAsync("list", temp.Sub("in"));

        Assert.True(hashed.ExitCode == 0, hashed.Error);
        Assert.NotEqual(expected, MixedNames.Order(StringComparer.Ordinal)); // the names do tell the two orders apart
        Assert.Equal(expected, (await File.ReadAllLinesAsync(temp.Sub("sums/SHA256SUMS"))).Select(l => l[66..]));
        Assert.Equal(expected.Select(n => "FAILED  " + n), verified.Out.TrimEnd('\n').Split('\n'));
        Assert.Equal(expected, listed.Out.TrimEnd('\n').Split('\n'));
    }
}
