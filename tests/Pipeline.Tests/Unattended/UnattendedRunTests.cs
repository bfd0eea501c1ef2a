using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Tasks.Dataflow;
using Pipeline.Compression;
using Pipeline.Hashing;
using Pipeline.Running;
using Pipeline.Running.Engine;
using Pipeline.Sources;
using Pipeline.Tests.Running;
using Pipeline.Tests.Support;
using Pipeline.Unattended;

namespace Pipeline.Tests.Unattended;

public sealed class UnattendedRunTests
{
    [Fact]
    public async Task Resume_ChangedFileIsRedoneUnchangedOnesSkipped_ManifestComplete()
    {
        using var temp = new TempDir();
        Corpus.Generate(temp.Sub("in"), files: 30, maxSize: 5000, seed: 2);
        var changed = temp.Write("in/changed.txt", "before");
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out"));
        await DataflowRunner.RunAsync(new HashTransform(), options);
        await File.WriteAllTextAsync(changed, "after, and longer");
        File.SetLastWriteTimeUtc(changed, DateTime.UtcNow.AddMinutes(5));

        var resumed = await DataflowRunner.RunAsync(new HashTransform(), options.With(o => o.Resume = true));

        Assert.Equal(30, resumed.FilesSkipped);
        Assert.Equal("changed.txt", Assert.Single(resumed.Results, r => r.Status == FileStatus.Succeeded).RelativePath);
        var expected = string.Concat(Corpus.Snapshot(temp.Sub("in")).Select(f => $"{Convert.ToHexStringLower(SHA256.HashData(f.Value))}  {f.Key}\n"));
        Assert.Equal(expected, await File.ReadAllTextAsync(temp.Sub("out/SHA256SUMS")));
    }

    [Fact]
    public async Task Resume_OtherOptionsOrAMissingOutput_AreNotSkipped()
    {
        using var temp = new TempDir();
        Corpus.Generate(temp.Sub("in"), files: 10, maxSize: 5000, seed: 3);
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")) { Resume = true };
        await DataflowRunner.RunAsync(new GzipTransform(1), options);
        File.Delete(Directory.GetFiles(temp.Sub("out"), "*.gz", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First());

        var sameLevel = await DataflowRunner.RunAsync(new GzipTransform(1), options);
        var otherLevel = await DataflowRunner.RunAsync(new GzipTransform(9), options);

        Assert.Equal((9, 1), (sameLevel.FilesSkipped, sameLevel.FilesSucceeded));
        Assert.Equal((0, 10), (otherLevel.FilesSkipped, otherLevel.FilesSucceeded));
    }

    [Fact]
    public async Task Journal_TornLastLine_IsCutAndTheRestStillCounts()
    {
        using var temp = new TempDir();
        Corpus.Generate(temp.Sub("in"), files: 8, maxSize: 100, seed: 4);
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")) { Resume = true };
        await DataflowRunner.RunAsync(new HashTransform(), options);
        await File.AppendAllTextAsync(RunJournal.PathFor(temp.Sub("out")), "{\"path\":\"half a li");

        var resumed = await DataflowRunner.RunAsync(new HashTransform(), options);

        Assert.Equal(8, resumed.FilesSkipped);
        Assert.All(await File.ReadAllLinesAsync(RunJournal.PathFor(temp.Sub("out"))), line => JsonDocument.Parse(line).Dispose());
    }

    [Fact]
    public async Task StartOfRun_TemporaryFilesOfACrashedRun_AreRemovedAndOthersKept()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        var stale = temp.Write("out/sub/x.bin.0123456789ab.pipeline.tmp", "half");
        var notOurs = temp.Write("out/sub/notes.pipeline.tmp", "someone else's");

        var summary = await DataflowRunner.RunAsync(new HashTransform(), new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")));

        Assert.Equal(1, summary.TempFilesRemoved);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(notOurs));
    }

    [LinuxFact]
    public async Task MaxErrors_ReachedEarly_StopsTakingFilesAndWritesNoManifest()
    {
        using var temp = new TempDir();
        for (var i = 0; i < 4; i++)
        {
            FailureTests.MakeFifo(temp.Sub($"in/a-pipe-{i}"));
        }

        Corpus.Generate(temp.Sub("in/z"), files: 2000, maxSize: 1000, seed: 5);
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")) { MaxErrors = 2, MaxDegreeOfParallelism = 1, IoConcurrency = 1 };

        var summary = await DataflowRunner.RunAsync(new HashTransform(), options);

        Assert.True(summary.StoppedByErrorLimit);
        Assert.InRange(summary.FilesFailed, 2, 4);
        // Files already queued (a few batches) still finish; the other 2,000 are never taken.
        Assert.True(summary.Results.Count < 1000, $"{summary.Results.Count} files were taken");
        Assert.False(File.Exists(temp.Sub("out/SHA256SUMS")));
    }

    [LinuxFact]
    public async Task Retry_FileLockedThenReleased_SucceedsAfterOneDelay()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        var locked = temp.Write("in/busy.txt", "busy");
        var time = new ManualTimeProvider();
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")) { TimeProvider = time, RetryDelay = TimeSpan.FromSeconds(1) };
        var hold = new FileStream(locked, FileMode.Open, FileAccess.ReadWrite, FileShare.None);

        var run = DataflowRunner.RunAsync(new HashTransform(), options);
        await time.WaitForTimersAsync(1).WaitAsync(TimeSpan.FromSeconds(30));
        await hold.DisposeAsync();
        time.FireAll();
        var summary = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, summary.FilesSucceeded);
        Assert.Equal([TimeSpan.FromSeconds(1)], time.Delays);
    }

    [LinuxFact]
    public async Task Retry_FileLockedThroughout_FailsAfterTheRetriesWithDoublingDelays()
    {
        using var temp = new TempDir();
        var locked = temp.Write("in/busy.txt", "busy");
        var time = new ManualTimeProvider();
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")) { TimeProvider = time, Retries = 2, RetryDelay = TimeSpan.FromSeconds(1) };
        using var hold = new FileStream(locked, FileMode.Open, FileAccess.ReadWrite, FileShare.None);

        var run = DataflowRunner.RunAsync(new HashTransform(), options);
        for (var i = 1; i <= 2; i++)
        {
            await time.WaitForTimersAsync(i).WaitAsync(TimeSpan.FromSeconds(30));
            time.FireAll();
        }

        var summary = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("locked by another program", Assert.Single(summary.Results).Error, StringComparison.Ordinal);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], time.Delays);
    }

    [LinuxFact]
    public async Task Retry_CancelledWhileWaitingToRetry_TheFileComesOutCancelledNotLost()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        var locked = temp.Write("in/busy.txt", "busy");
        var time = new ManualTimeProvider();
        using var cancellation = new CancellationTokenSource();
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")) { TimeProvider = time };
        using var hold = new FileStream(locked, FileMode.Open, FileAccess.ReadWrite, FileShare.None);

        var run = DataflowRunner.RunAsync(new HashTransform(), options, null, cancellation.Token);
        await time.WaitForTimersAsync(1).WaitAsync(TimeSpan.FromSeconds(30));
        await cancellation.CancelAsync();
        var summary = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(summary.Cancelled);
        Assert.Equal(["a.txt", "busy.txt"], summary.Results.Select(r => r.RelativePath));
        Assert.Equal(FileStatus.Cancelled, summary.Results.Single(r => r.RelativePath == "busy.txt").Status);
    }

    [Fact]
    public async Task Retry_PermanentError_IsNotRetried()
    {
        using var temp = new TempDir();
        var time = new ManualTimeProvider();
        var options = new PipelineOptions(new FileSelection(temp.Path), temp.Sub("out")) { TimeProvider = time };
        var block = DataflowRunner.CreateBlock(new HashTransform(), options);

        await block.SendAsync(new SourceFile("gone.txt", temp.Sub("gone.txt"), 1, DateTime.UtcNow));
        block.Complete();
        var result = await block.ReceiveAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(FileStatus.Failed, result.Status);
        Assert.Equal(0, time.TimersCreated);
    }

    [Fact]
    public void TransientErrors_TellBusyFromPermanent()
    {
        Assert.True(TransientErrors.IsTransient(new IOException("The process cannot access the file 'x' because it is being used by another process.", 11)));
        Assert.True(TransientErrors.IsTransient(new IOException("busy", 16)));
        Assert.False(TransientErrors.IsTransient(new FileNotFoundException("gone")));
        Assert.False(TransientErrors.IsTransient(new UnauthorizedAccessException("no")));
        Assert.False(TransientErrors.IsTransient(new InvalidDataException("bad")));
        Assert.False(TransientErrors.IsTransient(new IOException("No space left on device", 28)));
        Assert.False(TransientErrors.IsTransient(new IOException("being used by another process", 0))); // by number, never by the words
    }
}
