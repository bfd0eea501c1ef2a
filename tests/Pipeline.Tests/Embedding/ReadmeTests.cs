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
        Assert.Equal("dotnet run --project src/Pipeline.Cli -c Release -- compare hash testdata", commands[0]);
        Assert.Equal("dotnet test Pipeline.sln -c Release", commands[1]);
        Assert.Contains("dotnet test Pipeline.sln -c Release", ci, StringComparison.Ordinal);
        Assert.Contains("@('compare', 'hash', 'testdata')", runPs1, StringComparison.Ordinal);
        Assert.Contains("dotnet run --project src/Pipeline.Cli -c Release -- @args", runPs1, StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_QuotesTheThroughputSuitesLatestResults()
    {
        var readme = File.ReadAllText(Path.Join(Root, "README.md"));
        var results = File.ReadAllText(Path.Join(Root, "tests/Pipeline.Benchmarks/throughput/RESULTS.md"));

        Assert.Contains(results.Trim(), readme, StringComparison.Ordinal);
    }
}
