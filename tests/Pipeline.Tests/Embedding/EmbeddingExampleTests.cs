using Pipeline.Running;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Embedding;

public sealed class EmbeddingExampleTests
{
    [Fact]
    public async Task HashCsvFilesAsync_TestData_HashesOnlyTheCsvFiles()
    {
        using var temp = new TempDir();

        var summary = await EmbeddingExample.HashCsvFilesAsync(Corpus.TestDataRoot, temp.Sub("out"));

        var csvCount = Directory.GetFiles(Corpus.TestDataRoot, "*.csv", SearchOption.AllDirectories).Length;
        Assert.Equal(csvCount, summary.FilesSucceeded);
        Assert.Equal(csvCount, (await File.ReadAllLinesAsync(temp.Sub("out/SHA256SUMS"))).Length);
    }

    [Fact]
    public async Task LinkIntoMeshAsync_CustomTransform_WritesALineCountPerFileAndTheReport()
    {
        using var temp = new TempDir();
        temp.Write("in/three.txt", "a\nb\nc\n");
        temp.Write("in/sub/none.txt", "no newline");

        var summary = await EmbeddingExample.LinkIntoMeshAsync(temp.Sub("in"), temp.Sub("out"), temp.Sub("report.csv"));

        Assert.Equal((2, 0), (summary.FilesSucceeded, summary.FilesFailed));
        Assert.Equal("3\n", await File.ReadAllTextAsync(temp.Sub("out/three.txt.lines")));
        Assert.Equal("0\n", await File.ReadAllTextAsync(temp.Sub("out/sub/none.txt.lines")));
        var report = (await File.ReadAllLinesAsync(temp.Sub("report.csv"))).Select(l => string.Join(',', l.Split(',').Take(4))).ToArray();

        // The block hands results on as each file finishes, and the example writes them as they come: in any order.
        Assert.Equal("path,status,bytes_in,bytes_out", report[0]);
        Assert.Equal(["sub/none.txt,succeeded,10,2", "three.txt,succeeded,6,2"], report[1..].Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task LinkIntoMeshAsync_OutputInsideInput_NeverReadsTheOutputsOfTheRunBefore()
    {
        using var temp = new TempDir();
        temp.Write("in/three.txt", "a\nb\nc\n");
        await EmbeddingExample.LinkIntoMeshAsync(temp.Sub("in"), temp.Sub("in/out"), temp.Sub("first.csv"));

        var summary = await EmbeddingExample.LinkIntoMeshAsync(temp.Sub("in"), temp.Sub("in/out"), temp.Sub("second.csv"));

        Assert.Equal([("three.txt", FileStatus.Succeeded, (string?)null)], summary.Results.Select(r => (r.RelativePath, r.Status, r.Error)));
        // (.pipeline/ holds the block's lock and journal: the run's state, never an output.)
        Assert.Equal(["three.txt.lines"], Directory.EnumerateFiles(temp.Sub("in/out"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(temp.Sub("in/out"), f)).Where(f => !f.StartsWith(".pipeline/", StringComparison.Ordinal)));
    }
}
