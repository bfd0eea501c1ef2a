using System.CommandLine;
using Pipeline.Cli;
using Pipeline.Cli.Commands;
using Pipeline.Csv;
using Pipeline.Running;
using Pipeline.Sources;

namespace Pipeline.Tests.Cli;

public sealed class OptionNamesTests
{
    [Fact]
    public void Describe_ProblemOfAPropertyWithAFlag_NamesTheFlag()
    {
        Assert.Equal("--include: 'a/../b' leaves the input folder ('..' is not allowed)", OptionNames.Describe(new("Selection.Include", "'a/../b' leaves the input folder ('..' is not allowed)")));
    }

    [Fact]
    public void Describe_ProblemWithoutAProperty_IsTheLibrarysLine()
    {
        Assert.Equal("input folder not found: /x", OptionNames.Describe(new(null, "input folder not found: /x")));
        Assert.Equal("TimeProvider: odd", OptionNames.Describe(new("TimeProvider", "odd")));
    }

    [Fact]
    public void All_EveryEntry_IsARealPropertyAndARealFlagOfRunCsv()
    {
        var root = new CliApp(new CliConsole(TextWriter.Null, TextWriter.Null)).CreateRootCommand();
        var runCsv = root.Subcommands.Single(c => c.Name == "run").Subcommands.Single(c => c.Name == "csv");
        var flags = runCsv.Options.Concat(root.Options).Select(o => o.Name).ToHashSet(StringComparer.Ordinal);

        foreach (var (property, flag) in OptionNames.All)
        {
            Assert.True(PropertyExists(property), $"{property} is not a property of PipelineOptions or CsvTransformOptions");
            Assert.True(flags.Contains(flag), $"{flag} is not an option of 'pipeline run csv'");
        }
    }

    [Fact]
    public void LibraryProblems_WithAProperty_AllHaveAFlagOnTheCommandLine()
    {
        using var temp = new Support.TempDir();
        var options = new PipelineOptions(new FileSelection(temp.Path) { Include = ["/abs", ""], Exclude = ["../x"] }, temp.Sub("out")) { ChunkSize = 1 << 20, MemoryBudget = 1 << 20 };
        var csv = new CsvTransformOptions { Delimiter = '"', OutputDelimiter = '\n', Select = ["", "a", "a"], Where = ["x"], InferTypes = true, MaxRecordBytes = 1 };

        var problems = Assert.Throws<PipelineOptionsException>(options.Validate).Problems
            .Concat(Assert.Throws<PipelineOptionsException>(csv.Validate).Problems);

        Assert.All(problems.Where(p => p.Property is not null && p.Property != nameof(CsvTransformOptions.MaxRecordBytes)), p => Assert.NotNull(OptionNames.FlagFor(p.Property)));
    }

    private static bool PropertyExists(string path)
    {
        foreach (var type in (Type[])[typeof(PipelineOptions), typeof(CsvTransformOptions)])
        {
            var current = type;
            foreach (var part in path.Split('.'))
            {
                current = current?.GetProperty(part)?.PropertyType;
            }

            if (current is not null)
            {
                return true;
            }
        }

        return false;
    }
}
