using System.Xml.Linq;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Cli;

/// <summary><c>pipeline --version</c>: the package version, from its one place, and nothing else.</summary>
public sealed class VersionCliTests
{
    [Fact]
    public async Task Version_OfTheBuiltCommand_IsTheVersionPrefixOfDirectoryBuildProps_WithoutACommitHash()
    {
        var props = XDocument.Load(Path.Join(Path.GetDirectoryName(Corpus.TestDataRoot)!, "Directory.Build.props"));
        var version = props.Descendants("VersionPrefix").Single().Value;

        var (exit, stdout, stderr) = await ChildPipeline.RunAsync("--version");

        Assert.True(exit == 0, stderr);
        Assert.Equal(version + "\n", stdout);
    }
}
