using Pipeline.Running;

namespace Pipeline.Tests.Api;

/// <summary>
/// The public surface itself is pinned by <c>Microsoft.CodeAnalysis.PublicApiAnalyzers</c> (PublicAPI.Shipped.txt and
/// PublicAPI.Unshipped.txt fail the build on an unrecorded change). What the analyzer cannot say is which types must
/// never be recorded there: the engine's machinery, which an embedder has no use for and the library must stay free to
/// change, and the command line's measurement tools. Made public and recorded in PublicAPI.Unshipped.txt, one still fails here.
/// (<c>AtomicFileWriter</c> left this list when the command line became an embedder that uses only the public API:
/// writing a file of one's own atomically is what an embedder needs too.)
/// </summary>
public sealed class EngineTypesTests
{
    [Theory]
    [InlineData("RunJournal")]
    [InlineData("OutputFolderLock")]
    [InlineData("TempFileSweeper")]
    [InlineData("TransientErrors")]
    [InlineData("PooledBufferWriter")]
    [InlineData("BufferWriterStream")]
    [InlineData("OutputTreeComparer")]
    [InlineData("FileJob")]
    [InlineData("SyntheticCorpus")]
    [InlineData("CorpusKind")]
    [InlineData("ParallelismSweep")]
    [InlineData("RunContext")]
    [InlineData("StageChain")]
    [InlineData("BatchSteps")]
    [InlineData("FilePropagatorBlock")]
    [InlineData("ComparisonRunner")]
    public void ExportedTypes_OfCore_LeaveOutEngineType(string name)
    {
        // By simple name, so that a type moved to another namespace is still covered.
        var sut = typeof(DataflowRunner).Assembly.GetExportedTypes();

        Assert.DoesNotContain(sut, t => t.Name == name);
    }

    [Fact]
    public void ExportedTypes_OfCore_NoneInTheEngineNamespace()
    {
        var sut = typeof(DataflowRunner).Assembly.GetExportedTypes();

        Assert.DoesNotContain(sut, t => t.Namespace is { } ns && ns.StartsWith("Pipeline.Running.Engine", StringComparison.Ordinal));
        Assert.Contains(typeof(DataflowRunner).Assembly.GetTypes(), t => t.Namespace == "Pipeline.Running.Engine");
    }
}
