using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Embedding;
using Pipeline.Tests.Support;
using Pipeline.Transforms;

namespace Pipeline.Tests.Transforms;

/// <summary>The README's own transform (<see cref="UpperCase"/>): the least an embedder writes, through both runners.</summary>
public sealed class AsyncFileTransformTests
{
    [Fact]
    public void Defaults_NoConcurrencyOfItsOwnContentStreamedAndNoAggregates()
    {
        var sut = new UpperCase();

        Assert.Null(sut.MaxConcurrency);
        Assert.False(sut.TakesOpenFile);
        Assert.Empty(sut.CreateAggregateOutputs([new FileResult("a.txt", FileStatus.Succeeded, 1, 1, TimeSpan.Zero)]));
    }

    [Fact]
    public async Task RunAsync_SubclassWithOnlyTheAbstractMembers_WritesEachOutputThroughBothRunners()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "abc");
        temp.Write("in/sub/b.txt", "Hello, World");

        var pipeline = await DataflowRunner.RunAsync(new UpperCase(), new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("p")));
        var sequential = await SequentialRunner.RunAsync(new UpperCase(), new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("s")));

        Assert.Equal((2, 0), (pipeline.FilesSucceeded, pipeline.FilesFailed));
        Assert.Equal((2, 0), (sequential.FilesSucceeded, sequential.FilesFailed));
        foreach (var root in new[] { "p", "s" })
        {
            Assert.Equal("ABC", File.ReadAllText(temp.Sub(root + "/a.txt.up")));
            Assert.Equal("HELLO, WORLD", File.ReadAllText(temp.Sub(root + "/sub/b.txt.up")));
        }
    }
}
