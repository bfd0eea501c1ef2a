using Pipeline.Exec;
using Pipeline.Running;

namespace Pipeline.Tests.Exec;

/// <summary>The exec options are checked as the other options are: every problem at once, each naming its property.</summary>
public sealed class ExecOptionsTests
{
    [Fact]
    public void Validate_SeveralProblems_ReportsEveryOneNamingItsProperty()
    {
        var options = new ExecOptions { Command = [], OutputName = "/abs/{rel}", OkExitCodes = [], Timeout = TimeSpan.FromDays(9), MaxConcurrency = 0 };

        var error = Assert.Throws<PipelineOptionsException>(options.Validate);

        Assert.Equal(
            ["Command", "OutputName", "OkExitCodes", "Timeout", "MaxConcurrency"],
            error.Problems.Select(p => p.Property));
        Assert.Contains("the output name '/abs/{rel}' is not a path inside the output folder", error.Problems[1].Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{rel}.png")]
    [InlineData("thumbs/{/.}.jpg")]
    [InlineData("{rel.}.txt")]
    public void Validate_GoodOptions_Passes(string outputName)
    {
        new ExecOptions { Command = ["convert", "{}", "{out}"], OutputName = outputName, OkExitCodes = [0, 1], Timeout = TimeSpan.FromSeconds(5), MaxConcurrency = 3 }.Validate();
    }

    [Theory]
    [InlineData("all.txt", "names no field of the input")]
    [InlineData("../{rel}", "is not a path inside the output folder")]
    [InlineData(".pipeline/{rel}", "is not a path inside the output folder")]
    [InlineData("{rel}/", "is not a path inside the output folder")]
    [InlineData("{rel}-{#}", "has {#}, which is not one of its fields")]
    [InlineData("{rel}{.}", "has {.}, which is not one of its fields")]
    public void Constructor_BadOutputName_ThrowsTheProblem(string outputName, string reason)
    {
        var error = Assert.Throws<PipelineOptionsException>(() => new ExecTransform(new ExecOptions { Command = ["cat"], OutputName = outputName }));

        Assert.Contains(reason, Assert.Single(error.Problems).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ShellWithTwoElementsAndOutWithNoOutput_ReportsBoth()
    {
        var error = Assert.Throws<PipelineOptionsException>(new ExecOptions { Command = ["cat {out}", "x"], Shell = true, NoOutput = true }.Validate);

        Assert.Equal(["Command", "NoOutput"], error.Problems.Select(p => p.Property));
    }

    [Fact]
    public void Validate_NoOutputWithAnOutputName_SaysTheyContradict()
    {
        var error = Assert.Throws<PipelineOptionsException>(new ExecOptions { Command = ["true"], NoOutput = true, OutputName = "{rel}.out" }.Validate);

        Assert.Equal("OutputName", Assert.Single(error.Problems).Property);
    }
}
