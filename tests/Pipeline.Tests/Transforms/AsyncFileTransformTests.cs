using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;
using Pipeline.Transforms;

namespace Pipeline.Tests.Transforms;

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

    /// <summary>The least an embedder writes: a name, a fingerprint, where the output goes, and the work.</summary>
    private sealed class UpperCase : AsyncFileTransform
    {
        public override string Name => "upper";

        public override string Fingerprint => "upper:1";

        public override string? GetOutputPath(string relativePath) => relativePath + ".up";

        public override async ValueTask<object?> ProcessAsync(FileWork work, CancellationToken cancellationToken)
        {
            using var reader = new StreamReader(work.Input);
            var text = await reader.ReadToEndAsync(cancellationToken);
            var bytes = System.Text.Encoding.UTF8.GetBytes(text.ToUpperInvariant());
            await work.Output.WriteAsync(bytes, cancellationToken);
            return null;
        }
    }
}
