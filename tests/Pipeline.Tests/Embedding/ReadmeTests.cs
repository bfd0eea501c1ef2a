using Pipeline.Tests.Support;

namespace Pipeline.Tests.Embedding;

/// <summary>The README and docs/ show code and commands a newcomer copies: they must stay true.</summary>
public sealed class ReadmeTests
{
    private static string Root => Path.GetDirectoryName(Corpus.TestDataRoot)!;

    [Fact]
    public void EmbeddingDoc_Example_IsTheCodeTheTestsCompileAndRun()
    {
        var example = string.Concat(Regions(Read("tests/Pipeline.Tests/Embedding/EmbeddingExample.cs")));

        Assert.Contains("```csharp\n" + example + "```", Read("docs/embedding.md"), StringComparison.Ordinal);
    }

    [Fact]
    public void EmbeddingDoc_StreamingExample_IsTheCodeTheTestsCompileAndRun()
    {
        var example = string.Concat(Regions(Read("tests/Pipeline.Tests/Embedding/StreamingExample.cs"), "STREAMING-EXAMPLE"));

        Assert.Contains("```csharp\n" + example + "```", Read("docs/embedding.md"), StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_ShortExample_IsTheCodeTheTestsCompile()
    {
        var regions = Regions(Read("tests/Pipeline.Tests/Embedding/ReadmeExample.cs"));
        var usings = regions[0];
        var statements = string.Concat(regions[1].TrimEnd('\n').Split('\n').Select(l => (l.StartsWith("        ", StringComparison.Ordinal) ? l[8..] : l.TrimStart()) + "\n"));

        Assert.Equal(3, regions.Count);
        Assert.Contains("```csharp\n" + usings + "\n" + statements + "\n" + regions[2] + "```", Read("README.md"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readme_ShortExample_HashesOnlyTheCsvFiles()
    {
        using var temp = new TempDir();

        await ReadmeExample.MainAsync([Corpus.TestDataRoot, temp.Sub("out")]);

        var csvCount = Directory.GetFiles(Corpus.TestDataRoot, "*.csv", SearchOption.AllDirectories).Length;
        Assert.Equal(csvCount, (await File.ReadAllLinesAsync(temp.Sub("out/SHA256SUMS"))).Length);

        // The block with the custom transform: every text file upper-cased beside the first output.
        var texts = Directory.GetFiles(Corpus.TestDataRoot, "*.txt", SearchOption.AllDirectories);
        Assert.NotEmpty(texts);
        foreach (var text in texts)
        {
            var relative = Path.GetRelativePath(Corpus.TestDataRoot, text);
            Assert.Equal(File.ReadAllText(text).ToUpperInvariant(), File.ReadAllText(Path.Join(temp.Sub("out-upper"), relative + ".up")));
        }
    }

    [Fact]
    public void Readme_StartsWithTheTwoSetUpCommands_AndCiRunsTheSameTestCommand()
    {
        var readme = Read("README.md");
        var ci = Read(".ci/run");
        var runPs1 = Read("run.ps1");
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
        var readme = Read("README.md");
        var install = Section(readme, "## Install");
        var scheduled = Section(Read("docs/scheduled-runs.md"), "## cron, systemd, Task Scheduler");

        // PackageInstallTests runs this pack command and these installs (into temporary folders).
        Assert.Contains("```sh\ndotnet pack -c Release -o ./artifacts\n```", install, StringComparison.Ordinal);
        Assert.Contains("\ndotnet tool install --global --add-source ./artifacts pipeline\n", install, StringComparison.Ordinal);
        Assert.Contains("\ndotnet tool install --tool-path /opt/pipeline --add-source ./artifacts pipeline\n", install, StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet run", scheduled, StringComparison.Ordinal);
        Assert.Contains("\n15 2 * * *  /opt/pipeline/pipeline run hash ", scheduled, StringComparison.Ordinal);
        Assert.Contains("\nExecStart=/opt/pipeline/pipeline run hash ", scheduled, StringComparison.Ordinal);
        // The unit counts 75 (another run holds the lock and does the job) as success, and its text says so; 1 fails it.
        Assert.Contains("\nSuccessExitStatus=75\n", scheduled, StringComparison.Ordinal);
        Assert.Contains("`SuccessExitStatus=75` counts it as success", scheduled, StringComparison.Ordinal);
        Assert.Contains("Exit 1 means some files failed", scheduled, StringComparison.Ordinal);
        Assert.DoesNotContain("worth a look", scheduled, StringComparison.Ordinal);
        Assert.Contains("/TR \"C:\\pipeline\\pipeline.exe run hash ", scheduled, StringComparison.Ordinal);
    }

    [Fact]
    public void BenchmarksDoc_QuotesTheThroughputSuitesLatestResults()
    {
        var results = Read("tests/Pipeline.Benchmarks/throughput/RESULTS.md");

        Assert.Contains(results.Trim(), Read("docs/benchmarks-throughput.md"), StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_IsANewcomersPage_AtMost200Lines()
    {
        var lines = Read("README.md").Split('\n');

        Assert.True(lines.Length <= 200, $"README.md has {lines.Length} lines");
    }

    [Fact]
    public void ReadmeAndDocs_EveryRelativeLink_LeadsToAFileAndHeadingThatExist()
    {
        var pages = Directory.GetFiles(Path.Join(Root, "docs"), "*.md").Append(Path.Join(Root, "README.md"));
        var broken = new List<string>();
        foreach (var page in pages)
        {
            var text = File.ReadAllText(page);
            foreach (System.Text.RegularExpressions.Match link in System.Text.RegularExpressions.Regex.Matches(text, @"\]\(([^)\s]+)\)"))
            {
                var target = link.Groups[1].Value;
                if (target.Contains("://", StringComparison.Ordinal))
                {
                    continue;
                }

                var hash = target.IndexOf('#', StringComparison.Ordinal);
                var file = hash < 0 ? target : target[..hash];
                var path = file.Length == 0 ? page : Path.GetFullPath(Path.Join(Path.GetDirectoryName(page), file));
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    broken.Add($"{Path.GetFileName(page)}: {target}");
                }
                else if (hash >= 0 && !Anchors(File.ReadAllText(path)).Contains(target[(hash + 1)..]))
                {
                    broken.Add($"{Path.GetFileName(page)}: {target} (no such heading)");
                }
            }
        }

        Assert.Empty(broken);
    }

    /// <summary>GitHub's anchors of a page's headings: lower case, punctuation but '-' and '_' dropped, spaces as '-'.</summary>
    private static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var inCode = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
            }
            else if (!inCode && line.StartsWith('#'))
            {
                var text = line.TrimStart('#').Trim().ToLowerInvariant();
                anchors.Add(string.Concat(text.Where(c => char.IsLetterOrDigit(c) || c is '-' or '_' or ' ')).Replace(' ', '-'));
            }
        }

        return anchors;
    }

    /// <summary>The text between each "// EXAMPLE-START" line and the next "// EXAMPLE-END" (or another <paramref name="marker"/>'s), markers left out.</summary>
    private static List<string> Regions(string source, string marker = "EXAMPLE")
    {
        var regions = new List<string>();
        var lines = source.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != $"// {marker}-START")
            {
                continue;
            }

            var end = Array.FindIndex(lines, i + 1, l => l.Trim() == $"// {marker}-END");
            Assert.True(end > i, "an EXAMPLE-START without its EXAMPLE-END");
            regions.Add(string.Concat(lines[(i + 1)..end].Select(l => l + "\n")));
            i = end;
        }

        Assert.NotEmpty(regions);
        return regions;
    }

    private static string Read(string relativePath) => File.ReadAllText(Path.Join(Root, relativePath));

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
