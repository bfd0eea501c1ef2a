using System.Threading.Tasks.Dataflow;
using Pipeline.Hashing;
using Pipeline.IO;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Running;

public sealed class FailureTests
{
    [Fact]
    public async Task CreateBlock_FileGoneBeforeItIsRead_FailsAloneAndTheOthersAreHashed()
    {
        using var temp = new TempDir();
        var files = new List<SourceFile>();
        foreach (var name in (string[])["a.txt", "gone.txt", "c.txt"])
        {
            var full = temp.Write("in/" + name, name);
            files.Add(new SourceFile(name, full, 5, DateTime.UtcNow));
        }

        File.Delete(temp.Sub("in/gone.txt"));
        var transform = new HashTransform();
        var block = DataflowRunner.CreateBlock(transform, new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")));
        foreach (var file in files)
        {
            await block.SendAsync(file);
        }

        block.Complete();
        var results = new List<FileResult>();
        while (await block.OutputAvailableAsync())
        {
            results.Add(await block.ReceiveAsync());
        }

        await block.Completion;
        var failed = Assert.Single(results, r => r.Status == FileStatus.Failed);
        Assert.Equal("gone.txt", failed.RelativePath);
        Assert.Contains("not found", failed.Error, StringComparison.Ordinal);
        Assert.Equal(["a.txt", "c.txt"], results.Where(r => r.Status == FileStatus.Succeeded).Select(r => r.RelativePath).Order(StringComparer.Ordinal));

        await DataflowRunner.WriteAggregateOutputsAsync(transform, temp.Sub("out"), results);
        var manifest = await File.ReadAllLinesAsync(temp.Sub("out/SHA256SUMS"));
        Assert.Equal(["a.txt", "c.txt"], manifest.Select(l => l[66..]));
    }

    [LinuxFact]
    public async Task RunAsync_NamedPipeAmongFiles_FailsAloneWithoutBlockingAndTheOthersAreHashed()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        temp.Write("in/z.txt", "z");
        MakeFifo(temp.Sub("in/pipe"));
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out"));

        var summary = await DataflowRunner.RunAsync(new HashTransform(), options).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, summary.FilesSucceeded);
        var failed = Assert.Single(summary.Results, r => r.Status == FileStatus.Failed);
        Assert.Equal("pipe", failed.RelativePath);
        Assert.Equal("not a regular file (named pipe)", failed.Error);
        Assert.Equal(["a.txt", "z.txt"], (await File.ReadAllLinesAsync(temp.Sub("out/SHA256SUMS"))).Select(l => l[66..]));
    }

    [NonRootFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task RunAsync_UnreadableFile_FailsWithPermissionDenied()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        var locked = temp.Write("in/locked.txt", "secret");
        File.SetUnixFileMode(locked, UnixFileMode.None);
        var summary = await DataflowRunner.RunAsync(new HashTransform(), new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")));

        Assert.Equal(1, summary.FilesSucceeded);
        Assert.Equal("permission denied", Assert.Single(summary.Results, r => r.Status == FileStatus.Failed).Error);
    }

    internal static void MakeFifo(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    [Fact]
    public async Task RunAsync_CancelledWhileAFileStreams_LeavesNoPartialOrTemporaryOutput()
    {
        using var temp = new TempDir();
        var input = temp.Sub("in");
        Corpus.Generate(input, files: 40, maxSize: 16 * 1024, seed: 3);
        temp.Write("in/big.bin", new byte[64 * 1024]);
        using var gated = new GatedTransform(new XorTransform(), "big.bin");
        using var cancellation = new CancellationTokenSource();
        var options = new PipelineOptions(new FileSelection(input), temp.Sub("out")) { ChunkSize = PipelineOptions.MinChunkSize };

        var run = DataflowRunner.RunAsync(gated, options, null, cancellation.Token);
        await gated.Reached.WaitAsync(TimeSpan.FromSeconds(30));
        // big.bin's temporary file exists while it is held; the other files' temporary files come and go
        // as they finish around it, so wait for those to be gone rather than catch them mid-write.
        await WaitForSingleTemporaryFileAsync(temp.Sub("out"));
        await cancellation.CancelAsync();
        gated.Open();
        var summary = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(summary.Cancelled);
        Assert.Equal(FileStatus.Cancelled, summary.Results.Single(r => r.RelativePath == "big.bin").Status);
        var outputs = Corpus.Snapshot(temp.Sub("out"));
        Assert.DoesNotContain(outputs.Keys, k => k.EndsWith(AtomicFileWriter.TempSuffix, StringComparison.Ordinal));
        Assert.DoesNotContain("big.bin.xor", outputs.Keys);
        Assert.DoesNotContain("count.txt", outputs.Keys);

        // Whatever did get written is complete and correct.
        foreach (var (path, bytes) in outputs)
        {
            var source = File.ReadAllBytes(Path.Join(input, path[..^".xor".Length]));
            Assert.Equal(XorTransform.Expected(source), bytes);
        }
    }

    private static async Task WaitForSingleTemporaryFileAsync(string folder)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string[] temporary;
        while ((temporary = Directory.GetFiles(folder, "*" + AtomicFileWriter.TempSuffix)).Length != 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Single(temporary);
    }

    [Fact]
    public async Task CreateBlock_FaultedFromOutside_CompletesAndDeclinesInsteadOfHanging()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        var block = DataflowRunner.CreateBlock(new HashTransform(), new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")));

        block.Fault(new InvalidOperationException("downstream died"));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => block.Completion.WaitAsync(TimeSpan.FromSeconds(30)));
        var accepted = await block.SendAsync(new SourceFile("a.txt", temp.Sub("in/a.txt"), 1, DateTime.UtcNow)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("downstream died", error.Message);
        Assert.False(accepted);
    }

    [Fact]
    public void AtomicFileWriter_DisposedWithoutCommit_LeavesNeitherTargetNorTemporary()
    {
        using var temp = new TempDir();
        var target = temp.Sub("out/file.bin");
        using (var writer = AtomicFileWriter.Create(target, asynchronous: false))
        {
            writer.Write(new byte[1000]);
            Assert.True(File.Exists(writer.TempPath));
            Assert.True(AtomicFileWriter.IsTempFileName(Path.GetFileName(writer.TempPath)));
        }

        Assert.Empty(Directory.GetFiles(temp.Sub("out")));
    }

    [Fact]
    public void AtomicFileWriter_ManyWritersIntoOneNewFolder_AllSucceed()
    {
        using var temp = new TempDir();
        for (var round = 0; round < 20; round++)
        {
            var folder = temp.Sub($"out/new{round}/deeper");

            Parallel.For(0, 16, i => AtomicFileWriter.WriteAll(Path.Join(folder, $"f{i}.bin"), [(byte)i]));

            Assert.Equal(16, Directory.GetFiles(folder).Length);
        }
    }

    [Fact]
    public void AtomicFileWriter_Commit_ReplacesTheTargetWhole()
    {
        using var temp = new TempDir();
        var target = temp.Write("file.txt", "old content that is longer");

        AtomicFileWriter.WriteAll(target, "new"u8);

        Assert.Equal("new", File.ReadAllText(target));
        Assert.Single(Directory.GetFiles(temp.Path));
    }
}
