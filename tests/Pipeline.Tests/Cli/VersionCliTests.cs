using System.Xml.Linq;
using Pipeline.Compression;
using Pipeline.Hashing;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Cli;

/// <summary>
/// <c>pipeline --version</c>: the package version, from its one place, on the first line (what scripts read), then the
/// engines this machine uses: gzip's differs between machines, so a figure or an output can be traced to one.
/// </summary>
public sealed class VersionCliTests
{
    [Fact]
    public async Task Version_OfTheBuiltCommand_FirstLineIsTheVersionPrefixOfDirectoryBuildProps_WithoutACommitHash()
    {
        var props = XDocument.Load(Path.Join(Path.GetDirectoryName(Corpus.TestDataRoot)!, "Directory.Build.props"));
        var version = props.Descendants("VersionPrefix").Single().Value;

        var (exit, stdout, stderr) = await ChildPipeline.RunAsync("--version");

        Assert.True(exit == 0, stderr);
        Assert.Equal(version, stdout.Split('\n')[0]);
        Assert.Equal("", stderr);
    }

    [Fact]
    public async Task Version_GzipLine_NamesTheEngineANewGzipTransformUsesHere()
    {
        var (exit, stdout, stderr) = await CliRun.InvokeAsync("--version");

        Assert.Equal((0, ""), (exit, stderr));
        var gzip = Assert.Single(Lines(stdout), l => l.StartsWith("gzip: ", StringComparison.Ordinal));
        var engine = new GzipTransform().Engine;
        Assert.StartsWith($"gzip: {engine} (", gzip, StringComparison.Ordinal);
        Assert.Equal(engine == "libdeflate", gzip.Contains(Libdeflate.LibraryName ?? "no library", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Version_EngineLines_NameZstdsEngineAndEveryHashAlgorithmOnce()
    {
        var (exit, stdout, _) = await CliRun.InvokeAsync("--version");

        Assert.Equal(0, exit);
        var lines = Lines(stdout);
        Assert.Equal(new[] { "gzip", "gunzip", "zstd, unzstd", "hash" }, lines.Skip(1).Select(l => l[..l.IndexOf(": ", StringComparison.Ordinal)]));
        Assert.Equal($"zstd, unzstd: {ZstdTransform.Engine} (managed)", lines[3]);
        var hash = lines[4]["hash: ".Length..];
        var named = hash.Split("; ").SelectMany(group => group[..group.IndexOf(" by ", StringComparison.Ordinal)].Split(", ")).ToList();
        Assert.Equal(Enum.GetValues<HashAlgorithmKind>().Select(a => a.ToString().ToLowerInvariant()).Order(StringComparer.Ordinal), named.Order(StringComparer.Ordinal));
        Assert.Contains("xxh128 by System.IO.Hashing (managed)", hash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_WithAnotherOption_ExitsTwoWithOneLineAndPrintsNoVersion()
    {
        var (exit, stdout, stderr) = await CliRun.InvokeAsync("--version", "--verbose");

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Equal("error: --version option cannot be combined with other arguments.\n", stderr);
    }

    private static string[] Lines(string text) => text.TrimEnd('\n').Split('\n');
}
