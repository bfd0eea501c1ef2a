using System.Threading.Tasks.Dataflow;
using Pipeline.Hashing;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;
using Pipeline.Transforms;

namespace Pipeline.Tests.Running;

/// <summary>One contract, two implementations: the sequential runner and the pipeline write byte-identical outputs.</summary>
public sealed class ContractTests
{
    public static TheoryData<string> Transforms() => ["sha256", "sha1", "md5", "blake3", "xxh128", "sha512-csv", "xor", "gzip"];

    [Theory]
    [MemberData(nameof(Transforms))]
    public async Task SequentialAndPipeline_OnTestData_WriteIdenticalBytes(string transform)
    {
        using var temp = new TempDir();
        await AssertIdenticalAsync(Create(transform), Corpus.TestDataRoot, temp, chunkSize: 1024 * 1024, expectedFiles: Directory.GetFiles(Corpus.TestDataRoot, "*", SearchOption.AllDirectories).Length);
    }

    [Theory]
    [MemberData(nameof(Transforms))]
    public async Task SequentialAndPipeline_OnGeneratedTreeWithStreamedFiles_WriteIdenticalBytes(string transform)
    {
        using var temp = new TempDir();
        var input = temp.Sub("in");

        // 4 KiB chunks and files up to 40 KiB: most files stream through in several chunks.
        var files = Corpus.Generate(input, files: 300, maxSize: 40 * 1024, seed: 7);
        await AssertIdenticalAsync(Create(transform), input, temp, chunkSize: PipelineOptions.MinChunkSize, expectedFiles: files.Count);
    }

    [Fact]
    public async Task Pipeline_FileOfExactlyOneChunkAndOneByteMore_MatchesIndependentResult()
    {
        using var temp = new TempDir();
        var chunk = PipelineOptions.MinChunkSize;
        var exact = temp.Write("in/exact.bin", Enumerable.Range(0, chunk).Select(i => (byte)i).ToArray());
        var over = temp.Write("in/over.bin", Enumerable.Range(0, chunk + 1).Select(i => (byte)(i * 7)).ToArray());
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")) { ChunkSize = chunk };

        var summary = await DataflowRunner.RunAsync(new XorTransform(), options);

        Assert.Equal(2, summary.FilesSucceeded);
        Assert.Equal(XorTransform.Expected(File.ReadAllBytes(exact)), File.ReadAllBytes(temp.Sub("out/exact.bin.xor")));
        Assert.Equal(XorTransform.Expected(File.ReadAllBytes(over)), File.ReadAllBytes(temp.Sub("out/over.bin.xor")));
    }

    [Theory]
    [InlineData(100_000, 10)] // grew past the buffer sized from the walk's size: streamed
    [InlineData(100_000, 5000)]
    [InlineData(3500, 3000)] // grew, still inside that buffer
    [InlineData(3500, 4000)] // shrank
    public async Task CreateBlock_FileChangedSizeSinceTheWalk_IsReadAsItIsNow(int size, long sizeSeenByTheWalk)
    {
        using var temp = new TempDir();
        var content = Enumerable.Range(0, size).Select(i => (byte)(i % 251)).ToArray();
        var path = temp.Write("in/changed.bin", content);
        var block = DataflowRunner.CreateBlock(new XorTransform(), new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")) { ChunkSize = 64 * 1024 });

        await block.SendAsync(new SourceFile("changed.bin", path, sizeSeenByTheWalk, DateTime.UtcNow));
        block.Complete();
        var result = await block.ReceiveAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((FileStatus.Succeeded, (long)size), (result.Status, result.BytesIn));
        Assert.Equal(XorTransform.Expected(content), await File.ReadAllBytesAsync(temp.Sub("out/changed.bin.xor")));
    }

    private static IFileTransform Create(string name) => name switch
    {
        "sha256" => new HashTransform(),
        "sha1" => new HashTransform(HashAlgorithmKind.Sha1),
        "md5" => new HashTransform(HashAlgorithmKind.Md5),
        "blake3" => new HashTransform(HashAlgorithmKind.Blake3),
        "xxh128" => new HashTransform(HashAlgorithmKind.Xxh128),
        "sha512-csv" => new HashTransform(HashAlgorithmKind.Sha512, HashManifestFormat.Csv),
        "gzip" => new Pipeline.Compression.GzipTransform(),
        _ => new XorTransform(),
    };

    private static async Task AssertIdenticalAsync(IFileTransform transform, string input, TempDir temp, int chunkSize, int expectedFiles)
    {
        var sequentialOut = temp.Sub("sequential");
        var pipelineOut = temp.Sub("pipeline");
        var selection = new FileSelection(input);

        var sequential = await SequentialRunner.RunAsync(transform, new PipelineOptions(selection, sequentialOut) { ChunkSize = chunkSize });
        var pipelined = await DataflowRunner.RunAsync(transform, new PipelineOptions(selection, pipelineOut) { ChunkSize = chunkSize, MaxDegreeOfParallelism = 3, IoConcurrency = 3 });

        Assert.Equal(expectedFiles, sequential.FilesSucceeded);
        Assert.Equal(expectedFiles, pipelined.FilesSucceeded);
        Assert.Equal(0, pipelined.FilesFailed);
        Assert.Equal(sequential.BytesIn, pipelined.BytesIn);
        Assert.Equal(sequential.Results.Select(r => r.RelativePath), pipelined.Results.Select(r => r.RelativePath));
        var expected = Corpus.Snapshot(sequentialOut);
        var actual = Corpus.Snapshot(pipelineOut);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (path, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[path]), $"{path} differs");
        }
    }
}
