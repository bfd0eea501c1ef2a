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
    public async Task LinkIntoMeshAsync_CustomTransform_WritesALineCountPerFile()
    {
        using var temp = new TempDir();
        temp.Write("in/three.txt", "a\nb\nc\n");
        temp.Write("in/sub/none.txt", "no newline");

        var results = await EmbeddingExample.LinkIntoMeshAsync(temp.Sub("in"), temp.Sub("out"));

        Assert.All(results, r => Assert.Equal(FileStatus.Succeeded, r.Status));
        Assert.Equal("3\n", await File.ReadAllTextAsync(temp.Sub("out/three.txt.lines")));
        Assert.Equal("0\n", await File.ReadAllTextAsync(temp.Sub("out/sub/none.txt.lines")));
    }
}
