using System.Threading.Tasks.Dataflow;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;
using Pipeline.Unattended;

namespace Pipeline.Tests.Embedding;

/// <summary>
/// The block from <see cref="DataflowRunner.CreateBlock"/> in someone else's Dataflow mesh: as strict as Dataflow's own
/// blocks about completion, faults and cancellation, and honouring every option.
/// </summary>
public sealed class BlockContractTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static SourceFile Source(TempDir temp, string relative) =>
        new(relative, temp.Sub("in/" + relative), new FileInfo(temp.Sub("in/" + relative)).Length, File.GetLastWriteTimeUtc(temp.Sub("in/" + relative)));

    private static PipelineOptions Options(TempDir temp) =>
        new(new FileSelection(temp.Sub("in")), temp.Sub("out")) { ChunkSize = PipelineOptions.MinChunkSize };

    private static string[] TempFiles(TempDir temp) =>
        Directory.Exists(temp.Sub("out")) ? Directory.GetFiles(temp.Sub("out"), "*.tmp", SearchOption.AllDirectories) : [];

    [Fact]
    public async Task Fault_WhileAFileStreams_CompletionWaitsForTheStageAndLeavesNoTemporaryFile()
    {
        using var temp = new TempDir();
        temp.Write("in/big.bin", new byte[256 * 1024]);
        temp.Write("in/small.txt", "s");
        using var gated = new GatedTransform(new XorTransform(), "big.bin");
        var block = DataflowRunner.CreateBlock(gated, Options(temp));
        await block.SendAsync(Source(temp, "big.bin"));
        await block.SendAsync(Source(temp, "small.txt"));
        await gated.Reached.WaitAsync(Patience);
        Assert.NotEmpty(TempFiles(temp)); // the streamed output exists while the file is held

        block.Fault(new InvalidOperationException("upstream broke"));
        await Task.Delay(50); // give a premature Completion every chance to show (not a synchronisation)
        Assert.False(block.Completion.IsCompleted, "Completion ended while a stage was still running a step");
        gated.Open();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => block.Completion.WaitAsync(Patience));
        Assert.Equal("upstream broke", error.Message);
        Assert.Empty(TempFiles(temp));
        Assert.False(File.Exists(temp.Sub("out/big.bin.xor")));
        using var again = OutputFolderLock.Acquire(temp.Sub("out")); // the lock was released after the stages stopped
    }

    [Fact]
    public async Task SendAsync_AfterTheLinkedTargetFaults_ReturnsFalseInsteadOfWaitingForever()
    {
        using var temp = new TempDir();
        for (var i = 0; i < 40; i++)
        {
            temp.Write($"in/f{i:D2}.txt", "x");
        }

        // One file at a time at each stage, so the block holds fewer than 40 files whatever the machine's cores.
        var options = Options(temp);
        options.MaxDegreeOfParallelism = 1;
        options.IoConcurrency = 1;
        var block = DataflowRunner.CreateBlock(new XorTransform(), options);
        var consumer = new ActionBlock<FileResult>(_ => throw new InvalidOperationException("consumer broke"), new ExecutionDataflowBlockOptions { BoundedCapacity = 1 });
        block.LinkTo(consumer);

        var accepted = new List<bool>();
        for (var i = 0; i < 40; i++)
        {
            accepted.Add(await block.SendAsync(Source(temp, $"f{i:D2}.txt")).WaitAsync(Patience));
        }

        Assert.Contains(false, accepted);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => block.Completion.WaitAsync(Patience));
        Assert.Equal("consumer broke", error.Message);
        Assert.Empty(TempFiles(temp));
    }

    [Fact]
    public async Task Token_Fires_TheBlockStopsAcceptingAndCompletesCancelledByItself()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        using var cancellation = new CancellationTokenSource();
        var block = DataflowRunner.CreateBlock(new XorTransform(), Options(temp), cancellation.Token);
        var results = new BufferBlock<FileResult>();
        block.LinkTo(results, new DataflowLinkOptions { PropagateCompletion = true });

        await cancellation.CancelAsync();

        Assert.False(await block.SendAsync(Source(temp, "a.txt")).WaitAsync(Patience));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => block.Completion.WaitAsync(Patience));
        Assert.True(block.Completion.IsCanceled);
        Assert.Empty(TempFiles(temp));
    }

    [Fact]
    public async Task SourceFileEscapingTheOutputFolder_FailsAloneAndWritesNothingOutside()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        temp.Write("escaped.txt", "outside");
        var block = DataflowRunner.CreateBlock(new XorTransform(), Options(temp));

        await block.SendAsync(new SourceFile("../escaped.txt", temp.Sub("escaped.txt"), 7, DateTime.UtcNow));
        await block.SendAsync(Source(temp, "a.txt"));
        block.Complete();
        var results = new List<FileResult>();
        while (await block.OutputAvailableAsync().WaitAsync(Patience))
        {
            results.Add(await block.ReceiveAsync());
        }

        await block.Completion.WaitAsync(Patience);
        var escaped = Assert.Single(results, r => r.RelativePath == "../escaped.txt");
        Assert.Equal(FileStatus.Failed, escaped.Status);
        Assert.Contains("leaves the output folder", escaped.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.Sub("escaped.txt.xor")));
        Assert.True(File.Exists(temp.Sub("out/a.txt.xor")));
    }

    [Fact]
    public void CreateBlock_InvalidOptions_RefusedLikeRunAsync()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        temp.Write("file-not-folder", "x");

        var budget = Assert.Throws<PipelineOptionsException>(() => DataflowRunner.CreateBlock(new XorTransform(), Options(temp).With(o => { o.MemoryBudget = 1024 * 1024; o.ChunkSize = 1024 * 1024; })));
        var output = Assert.Throws<PipelineOptionsException>(() => DataflowRunner.CreateBlock(new XorTransform(), new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("file-not-folder"))));

        Assert.Contains("MemoryBudget", budget.Message, StringComparison.Ordinal);
        Assert.Contains("output path is a file", output.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaxErrors_Reached_TheBlockStopsAcceptingAndCompletes()
    {
        using var temp = new TempDir();
        Directory.CreateDirectory(temp.Sub("in"));
        var block = DataflowRunner.CreateBlock(new XorTransform(), Options(temp).With(o => o.MaxErrors = 2));
        var results = new BufferBlock<FileResult>();
        block.LinkTo(results, new DataflowLinkOptions { PropagateCompletion = true });

        var accepted = 0;
        for (var i = 0; i < 50; i++)
        {
            if (await block.SendAsync(new SourceFile($"missing{i:D2}.txt", temp.Sub($"in/missing{i:D2}.txt"), 1, DateTime.UtcNow)).WaitAsync(Patience))
            {
                accepted++;
            }
        }

        await block.Completion.WaitAsync(Patience);
        Assert.True(results.TryReceiveAll(out var all));
        Assert.InRange(all.Count(r => r.Status == FileStatus.Failed), 2, 2 + 8);
        Assert.True(accepted < 50, "the block kept accepting files after the error limit");
    }

    [Fact]
    public async Task ResumeAndJournal_FilesDoneBeforeComeOutSkipped()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        temp.Write("in/b.txt", "b");

        async Task<List<FileResult>> RunBlockAsync(bool resume)
        {
            var block = DataflowRunner.CreateBlock(new XorTransform(), Options(temp).With(o => o.Resume = resume));
            var results = new BufferBlock<FileResult>();
            block.LinkTo(results, new DataflowLinkOptions { PropagateCompletion = true });
            foreach (var file in GlobFileSource.Enumerate(Options(temp).EffectiveSelection))
            {
                await block.SendAsync(file);
            }

            block.Complete();
            await block.Completion.WaitAsync(Patience); // (a BufferBlock's own Completion waits until it is emptied)
            results.TryReceiveAll(out var all);
            return [.. all!.OrderBy(r => r.RelativePath, StringComparer.Ordinal)];
        }

        var first = await RunBlockAsync(resume: false);
        var second = await RunBlockAsync(resume: true);

        Assert.Equal([FileStatus.Succeeded, FileStatus.Succeeded], first.Select(r => r.Status));
        Assert.Equal([FileStatus.Skipped, FileStatus.Skipped], second.Select(r => r.Status));
    }

    [Fact]
    public async Task CreateBlock_OutputInUseByAnotherRun_Refused()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        var holder = DataflowRunner.CreateBlock(new XorTransform(), Options(temp));

        Assert.Throws<OutputLockedException>(() => DataflowRunner.CreateBlock(new XorTransform(), Options(temp)));

        holder.Complete();
        await holder.Completion.WaitAsync(Patience);
    }

    [Fact]
    public async Task RunAsync_OutputLocked_ReturnsATaskAndRefusesFromIt()
    {
        // The lock, the sweep and the journal's read happen on the pool: RunAsync returns before touching the folder.
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        using var held = OutputFolderLock.Acquire(temp.Sub("out"));

        var run = DataflowRunner.RunAsync(new XorTransform(), Options(temp));

        await Assert.ThrowsAsync<OutputLockedException>(() => run.WaitAsync(Patience));
    }

    [Fact]
    public async Task PropagateCompletion_TargetCompletesOnlyOnceTheBlockHasReleasedTheOutputFolder()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        for (var round = 0; round < 20; round++)
        {
            var block = DataflowRunner.CreateBlock(new XorTransform(), Options(temp));
            var sink = new ActionBlock<FileResult>(_ => { });
            block.LinkTo(sink, new DataflowLinkOptions { PropagateCompletion = true });
            await block.SendAsync(Source(temp, "a.txt"));
            block.Complete();
            await sink.Completion.WaitAsync(Patience);

            Assert.True(block.Completion.IsCompletedSuccessfully);
            using var next = OutputFolderLock.Acquire(temp.Sub("out")); // would throw OutputLockedException if still held
        }
    }
}
