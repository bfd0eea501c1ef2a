using Pipeline.Tests.Support;

namespace Pipeline.Tests.Embedding;

/// <summary>The README shows code and commands a newcomer copies: they must stay true.</summary>
public sealed class ReadmeTests
{
    private static string Root => Path.GetDirectoryName(Corpus.TestDataRoot)!;

    [Fact]
    public void Readme_EmbeddingExample_IsTheCodeTheTestsCompileAndRun()
    {
        var source = File.ReadAllText(Path.Join(Root, "tests/Pipeline.Tests/Embedding/EmbeddingExample.cs"));
        var start = source.IndexOf("// README-EXAMPLE-START\n", StringComparison.Ordinal) + "// README-EXAMPLE-START\n".Length;
        var end = source.IndexOf("// README-EXAMPLE-END", StringComparison.Ordinal);
        var example = source[start..end];
        var readme = File.ReadAllText(Path.Join(Root, "README.md"));

        Assert.Contains("```csharp\n" + example + "```", readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_StartsWithTheTwoSetUpCommands_AndCiRunsTheSameTestCommand()
    {
        var readme = File.ReadAllText(Path.Join(Root, "README.md"));
        var ci = File.ReadAllText(Path.Join(Root, ".ci/run"));
        var runPs1 = File.ReadAllText(Path.Join(Root, "run.ps1"));
        var firstBlock = readme[(readme.IndexOf("```sh\n", StringComparison.Ordinal) + 6)..];
        firstBlock = firstBlock[..firstBlock.IndexOf("```", StringComparison.Ordinal)];
        var commands = firstBlock.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToArray();

        Assert.Equal(2, commands.Length);
        Assert.Equal("dotnet run --project src/Pipeline.Cli -c Release -- compare hash", commands[0]);
        Assert.Equal("dotnet test Pipeline.sln -c Release", commands[1]);
        Assert.Contains("dotnet test Pipeline.sln -c Release", ci, StringComparison.Ordinal);
        Assert.Contains("$args = @('compare', 'hash')\n", runPs1, StringComparison.Ordinal);
        Assert.Contains("dotnet run --project src/Pipeline.Cli -c Release -- @args", runPs1, StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_Install_PacksWithOneCommand_AndScheduledRunsUseTheInstalledTool()
    {
        var readme = File.ReadAllText(Path.Join(Root, "README.md"));
        var install = Section(readme, "## Install");
        var scheduled = Section(readme, "### Runs that can be left alone");

        // PackageInstallTests runs this pack command and these installs (into temporary folders).
        Assert.Contains("```sh\ndotnet pack -c Release -o ./artifacts\n```", install, StringComparison.Ordinal);
        Assert.Contains("\ndotnet tool install --global --add-source ./artifacts pipeline\n", install, StringComparison.Ordinal);
        Assert.Contains("\ndotnet tool install --tool-path /opt/pipeline --add-source ./artifacts pipeline\n", install, StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet run", scheduled, StringComparison.Ordinal);
        Assert.Contains("\n15 2 * * *  /opt/pipeline/pipeline run hash ", scheduled, StringComparison.Ordinal);
        Assert.Contains("\nExecStart=/opt/pipeline/pipeline run hash ", scheduled, StringComparison.Ordinal);
        Assert.Contains("/TR \"C:\\pipeline\\pipeline.exe run hash ", scheduled, StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_QuotesTheThroughputSuitesLatestResults()
    {
        var readme = File.ReadAllText(Path.Join(Root, "README.md"));
        var results = File.ReadAllText(Path.Join(Root, "tests/Pipeline.Benchmarks/throughput/RESULTS.md"));

        Assert.Contains(results.Trim(), readme, StringComparison.Ordinal);
    }

    /// <summary>From the line <paramref name="heading"/> to the next heading of its level or higher, outside code blocks.</summary>
    private static string Section(string readme, string heading)
    {
        var lines = readme.Split('\n');
        var start = Array.IndexOf(lines, heading);
        Assert.True(start >= 0, $"the README has no '{heading}' section");
        var level = heading.IndexOf(' ', StringComparison.Ordinal);
        var inCode = false;
        var end = start + 1;
        for (; end < lines.Length; end++)
        {
            if (lines[end].StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
            }
            else if (!inCode && lines[end].IndexOf(' ', StringComparison.Ordinal) is > 0 and var hashes && hashes <= level && lines[end][..hashes].All(c => c == '#'))
            {
                break;
            }
        }

        return string.Join('\n', lines[start..end]);
    }
}
