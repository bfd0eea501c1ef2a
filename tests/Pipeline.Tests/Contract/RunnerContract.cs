using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Pipeline.Compression;
using Pipeline.Hashing;
using Pipeline.IO;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;
using Pipeline.Transforms;
using Pipeline.Unattended;

namespace Pipeline.Tests.Contract;

/// <summary>
/// What every runner promises, tested once and run against each (as runtime's <c>ChannelTestBase</c> runs against
/// every channel): <see cref="DataflowRunnerContract"/> and <see cref="SequentialRunnerContract"/>. Expectations are
/// computed independently of any runner (the transform's definition, a hash library), never by comparing the two.
/// </summary>
public abstract partial class RunnerContract
{
    /// <summary>Chunk size of most tests: the smallest, so files of a few KiB already stream through in several chunks.</summary>
    protected const int Chunk = PipelineOptions.MinChunkSize;

    /// <summary>Longest a test waits for anything; reached only when a runner hangs.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Whether progress reports can come while other files are in flight (the pipeline), or only between files (the sequential runner).</summary>
    protected abstract bool ReportsWhileFilesAreInFlight { get; }

    /// <summary>Runs the runner under test.</summary>
    protected abstract Task<RunSummary> RunAsync(IFileTransform transform, PipelineOptions options, IProgress<RunProgress>? progress, CancellationToken cancellationToken);

    /// <summary>
    /// How many files past the one that reached <see cref="PipelineOptions.MaxErrors"/> the runner may still have in flight
    /// (and so may still fail or finish) with these options.
    /// </summary>
    protected abstract int FilesInFlightBound(PipelineOptions options);

    private Task<RunSummary> RunAsync(IFileTransform transform, PipelineOptions options) => RunAsync(transform, options, null, CancellationToken.None);

    // ---------------------------------------------------------------- 1. output bytes

    public static TheoryData<string> OutputTransforms() => ["xor", "sha256", "blake3", "xxh128", "gzip"];

    [Theory]
    [MemberData(nameof(OutputTransforms))]
    public async Task Run_GeneratedTreeWithStreamedFiles_WritesExactlyTheTransformsBytes(string name)
    {
        using var temp = new TempDir();
        var files = Corpus.Generate(temp.Sub("in"), files: 150, maxSize: 40 * 1024, seed: 7);
        var transform = Create(name);

        var summary = await RunAsync(transform, Options(temp));

        Assert.Equal((files.Count, 0, 0, 0), (summary.FilesSucceeded, summary.FilesFailed, summary.FilesSkipped, summary.FilesCancelled));
        Assert.Equal(files.Order(StringComparer.Ordinal), summary.Results.Select(r => r.RelativePath));
        Assert.Equal(files.Sum(f => new FileInfo(temp.Sub("in/" + f)).Length), summary.BytesIn);
        AssertTree(ExpectedOutputs(transform, temp.Sub("in"), files, Chunk), temp.Sub("out"));
        AssertLockReleased(temp.Sub("out"));
    }

    // ---------------------------------------------------------------- 2, 3. cancellation

    [Theory]
    [InlineData(64 * 1024)] // streamed: its temporary output already exists while it is held
    [InlineData(2000)] // read whole, one chunk
    public async Task Run_CancelledWhileAFileIsInTheTransform_ThatFileIsCancelledNothingPartialIsLeftAndResumeRedoesIt(int heldSize)
    {
        using var temp = new TempDir();
        var files = Corpus.Generate(temp.Sub("in"), files: 20, maxSize: 3000, seed: 3).ToList();
        temp.Write("in/m-held.bin", Bytes(heldSize, seed: 1));
        files.Add("m-held.bin");
        using var gated = new GatedTransform(new XorTransform(), "m-held.bin");
        var hooked = new HookedTransform(gated);
        using var cancellation = new CancellationTokenSource();

        var run = RunAsync(hooked, Options(temp), null, cancellation.Token);
        await WaitOrFailAsync(gated.Reached, run, "the held file to reach the transform");
        await cancellation.CancelAsync();
        gated.Open();
        var summary = await run.WaitAsync(Patience);

        Assert.True(summary.Cancelled);
        Assert.False(summary.StoppedByErrorLimit);
        Assert.Equal(FileStatus.Cancelled, Result(summary, "m-held.bin").Status);
        Assert.DoesNotContain(summary.Results, r => r.Status == FileStatus.Failed);

        // Exactly the outputs of the files reported done, each complete; nothing for the held file, no temporary
        // file, no aggregate output (count.txt).
        var done = summary.Results.Where(r => r.Status == FileStatus.Succeeded).Select(r => r.RelativePath).ToList();
        AssertTree(XorOutputs(temp.Sub("in"), done, aggregate: false), temp.Sub("out"));
        AssertLockReleased(temp.Sub("out"));
        Assert.Equal(hooked.ProcessorsCreated, hooked.ProcessorsDisposed);

        // The journal holds only what was done: a resume redoes the held file and skips exactly the others that were.
        var resumed = await RunAsync(new XorTransform(), Options(temp).With(o => o.Resume = true));

        Assert.Equal(FileStatus.Succeeded, Result(resumed, "m-held.bin").Status);
        Assert.Equal(done.Order(StringComparer.Ordinal), resumed.Results.Where(r => r.Status == FileStatus.Skipped).Select(r => r.RelativePath));
        Assert.Equal((files.Count, 0), (resumed.FilesSucceeded + resumed.FilesSkipped, resumed.FilesFailed));
        AssertTree(XorOutputs(temp.Sub("in"), files, aggregate: true), temp.Sub("out"));
    }

    [Fact]
    public async Task Run_CancelledBeforeItStarts_ProcessesNothingAndWritesNothing()
    {
        using var temp = new TempDir();
        Corpus.Generate(temp.Sub("in"), files: 10, maxSize: 10_000, seed: 4);
        var hooked = new HookedTransform(new XorTransform());
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var summary = await RunAsync(hooked, Options(temp), null, cancellation.Token).WaitAsync(Patience);

        Assert.True(summary.Cancelled);
        Assert.Equal((0, 0, 0), (summary.FilesSucceeded, summary.FilesFailed, summary.FilesSkipped));
        Assert.All(summary.Results, r => Assert.Equal(FileStatus.Cancelled, r.Status));
        Assert.Equal(0, hooked.ProcessorsCreated);
        AssertTree(new Dictionary<string, byte[]>(), temp.Sub("out"));
        AssertLockReleased(temp.Sub("out"));
    }

    // ---------------------------------------------------------------- 4. retries

    [LinuxFact]
    public async Task Run_FileLockedThroughout_WaitsOnTheInjectedClockWithDoublingDelaysThenFailsAsLocked()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        var locked = temp.Write("in/busy.txt", "busy");
        var time = new ManualTimeProvider();
        var options = Options(temp).With(o => { o.TimeProvider = time; o.Retries = 2; o.RetryDelay = TimeSpan.FromSeconds(1); });
        using var hold = new FileStream(locked, FileMode.Open, FileAccess.ReadWrite, FileShare.None);

        var run = RunAsync(new XorTransform(), options);
        for (var wait = 1; wait <= 2; wait++)
        {
            await WaitOrFailAsync(time.WaitForTimersAsync(wait), run, $"retry wait {wait} on the injected clock (seen so far: {Show(time.Delays)})");
            time.FireAll();
        }

        var summary = await run.WaitAsync(Patience);

        var failed = Result(summary, "busy.txt");
        Assert.Equal(FileStatus.Failed, failed.Status);
        Assert.Contains("locked", failed.Error, StringComparison.Ordinal);
        Assert.Equal(FileStatus.Succeeded, Result(summary, "a.txt").Status);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], time.Delays);
        AssertTree(XorOutputs(temp.Sub("in"), ["a.txt"], aggregate: true), temp.Sub("out"));
    }

    [LinuxFact]
    public async Task Run_FileLockReleasedBeforeTheLastRetry_SucceedsAfterExactlyOneWait()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        var locked = temp.Write("in/busy.txt", "busy");
        var time = new ManualTimeProvider();
        var options = Options(temp).With(o => { o.TimeProvider = time; o.Retries = 2; o.RetryDelay = TimeSpan.FromSeconds(1); });
        var hold = new FileStream(locked, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        try
        {
            var run = RunAsync(new XorTransform(), options);
            await WaitOrFailAsync(time.WaitForTimersAsync(1), run, "the first retry wait on the injected clock");
            await hold.DisposeAsync();
            time.FireAll();
            var summary = await run.WaitAsync(Patience);

            Assert.Equal((2, 0), (summary.FilesSucceeded, summary.FilesFailed));
            Assert.Equal([TimeSpan.FromSeconds(1)], time.Delays);
            AssertTree(XorOutputs(temp.Sub("in"), ["a.txt", "busy.txt"], aggregate: true), temp.Sub("out"));
        }
        finally
        {
            await hold.DisposeAsync();
        }
    }

    /// <summary>
    /// The retry scope: a transient failure anywhere in a file's attempt (here the transform's, half way through a
    /// streamed file whose output is already being written) retries the whole attempt from scratch, on the injected
    /// clock, and the output holds each byte once.
    /// </summary>
    [Fact]
    public async Task Run_TransientErrorAfterTheRead_RetriesTheWholeFileOnceFromScratch()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        temp.Write("in/busy.bin", Bytes(20_000, seed: 2));
        var time = new ManualTimeProvider();
        var options = Options(temp).With(o => { o.TimeProvider = time; o.Retries = 2; o.RetryDelay = TimeSpan.FromSeconds(1); });
        var hooked = new HookedTransform(new XorTransform())
        {
            // Only the first attempt's second chunk: a retried attempt appends its chunks as calls 6 and later.
            Hook = (step, path, n) =>
            {
                if (step == TransformStep.Append && path == "busy.bin" && n == 2)
                {
                    throw new IOException("device or resource busy", 16);
                }
            },
        };

        var run = RunAsync(hooked, options);
        await WaitOrFailAsync(time.WaitForTimersAsync(1), run, "a retry wait on the injected clock after a transient error in the transform");
        time.FireAll();
        var summary = await run.WaitAsync(Patience);

        Assert.Equal(FileStatus.Succeeded, Result(summary, "busy.bin").Status);
        Assert.Equal([TimeSpan.FromSeconds(1)], time.Delays);
        Assert.Equal(2, hooked.Calls(TransformStep.CreateProcessor, "busy.bin"));
        Assert.Equal(hooked.ProcessorsCreated, hooked.ProcessorsDisposed);
        AssertTree(XorOutputs(temp.Sub("in"), ["a.txt", "busy.bin"], aggregate: true), temp.Sub("out"));
    }

    // ---------------------------------------------------------------- 5. max errors

    [Theory]
    [InlineData(6000)] // larger than a chunk: one file at a time through the stages
    [InlineData(100)] // small: the pipeline carries such files in batches
    public async Task Run_MaxErrorsReached_StopsWithinTheFilesInFlightAndWritesNoAggregate(int badSize)
    {
        using var temp = new TempDir();
        for (var i = 0; i < 20; i++)
        {
            temp.Write($"in/bad{i:D2}.bin", Bytes(badSize, seed: i));
        }

        for (var i = 0; i < 30; i++)
        {
            temp.Write($"in/good{i:D2}.txt", Bytes(100, seed: 100 + i));
        }

        var hooked = new HookedTransform(new XorTransform())
        {
            Hook = (step, path, _) =>
            {
                if (step == TransformStep.CreateProcessor && path.StartsWith("bad", StringComparison.Ordinal))
                {
                    throw new InvalidDataException($"{path} is bad");
                }
            },
        };
        var options = Options(temp).With(o => { o.MaxErrors = 3; o.MaxDegreeOfParallelism = 1; o.IoConcurrency = 1; });
        var bound = FilesInFlightBound(options);

        var summary = await RunAsync(hooked, options).WaitAsync(Patience);

        Assert.True(summary.StoppedByErrorLimit);
        Assert.False(summary.Cancelled);
        Assert.InRange(summary.FilesFailed, 3, 3 + bound);
        Assert.InRange(summary.FilesFailed + summary.FilesSucceeded, 3, 3 + bound);

        // The bad files come first in ordinal order, and there are more of them than the limit and the bound together.
        Assert.Equal(0, summary.FilesSucceeded);
        AssertTree(new Dictionary<string, byte[]>(), temp.Sub("out"));
        AssertLockReleased(temp.Sub("out"));
        Assert.Equal(hooked.ProcessorsCreated, hooked.ProcessorsDisposed);
    }

    // ---------------------------------------------------------------- 6. resume

    public static TheoryData<string> ResumeTransforms() => ["xor", "sha256", "blake3", "xxh128"];

    [Theory]
    [MemberData(nameof(ResumeTransforms))]
    public async Task Run_ResumeWithNothingChanged_SkipsEveryFileAndLeavesTheOutputsByteIdentical(string name)
    {
        using var temp = new TempDir();
        var files = Corpus.Generate(temp.Sub("in"), files: 40, maxSize: 12_000, seed: 5);
        var first = await RunAsync(Create(name), Options(temp));
        Assert.Equal(files.Count, first.FilesSucceeded);
        var before = Corpus.Snapshot(temp.Sub("out"));

        var resumed = await RunAsync(Create(name), Options(temp).With(o => o.Resume = true));

        Assert.Equal((files.Count, 0, 0), (resumed.FilesSkipped, resumed.FilesSucceeded, resumed.FilesFailed));
        AssertTree(before, temp.Sub("out"));
        AssertTree(ExpectedOutputs(Create(name), temp.Sub("in"), files, Chunk), temp.Sub("out"));
    }

    [Theory]
    [MemberData(nameof(ResumeTransforms))]
    public async Task Run_ResumeAfterOneFileChanged_RedoesOnlyThatFile(string name)
    {
        using var temp = new TempDir();
        var files = Corpus.Generate(temp.Sub("in"), files: 40, maxSize: 12_000, seed: 6).ToList();
        var changed = temp.Write("in/changed.txt", "before");
        files.Add("changed.txt");
        await RunAsync(Create(name), Options(temp));
        await File.WriteAllTextAsync(changed, "after, and longer");
        File.SetLastWriteTimeUtc(changed, DateTime.UtcNow.AddMinutes(5));

        var resumed = await RunAsync(Create(name), Options(temp).With(o => o.Resume = true));

        Assert.Equal("changed.txt", Assert.Single(resumed.Results, r => r.Status == FileStatus.Succeeded).RelativePath);
        Assert.Equal((files.Count - 1, 0), (resumed.FilesSkipped, resumed.FilesFailed));
        AssertTree(ExpectedOutputs(Create(name), temp.Sub("in"), files, Chunk), temp.Sub("out"));
    }

    // ---------------------------------------------------------------- 7. temporary files of a crashed run

    [Fact]
    public async Task Run_TemporaryFilesOfACrashedRunInTheOutput_AreRemovedAndCountedAndAUsersTmpFileIsKept()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        var current = temp.Write("out/.0123456789abcdef.pipeline.tmp", "half of an output");
        var legacy = temp.Write("out/x.txt.0123456789ab.pipeline.tmp", "half of an older output");
        var users = temp.Write("out/notes.tmp", "the user's own notes");

        var summary = await RunAsync(new XorTransform(), Options(temp));

        Assert.Equal(2, summary.TempFilesRemoved);
        Assert.False(File.Exists(current));
        Assert.False(File.Exists(legacy));
        Assert.Equal("the user's own notes", await File.ReadAllTextAsync(users));
        var expected = XorOutputs(temp.Sub("in"), ["a.txt"], aggregate: true);
        expected["notes.tmp"] = Encoding.UTF8.GetBytes("the user's own notes");
        AssertTree(expected, temp.Sub("out"));
    }

    // ---------------------------------------------------------------- 8. files that change size after the walk

    /// <summary>
    /// The transform is asked for a file's output path right after the walk has seen it (to check that no two
    /// results land on one path) and before it is read: the hook rewrites the file there, so the runner reads
    /// another size than the walk saw.
    /// </summary>
    [Theory]
    [InlineData(1000, 20_000)] // small grew past a chunk
    [InlineData(1000, 1020)] // grew, still inside the buffer sized from the walk's size
    [InlineData(1000, 3000)] // grew past that buffer, still under a chunk
    [InlineData(3500, 100)] // small shrank
    [InlineData(20_000, 100)] // streamed shrank to small
    [InlineData(20_000, 50_000)] // streamed grew
    [InlineData(0, 5000)] // empty is no longer
    [InlineData(5000, 0)] // emptied
    public async Task Run_FileChangedSizeBetweenTheWalkAndTheRead_IsProcessedAsItIsNow(int sizeSeenByTheWalk, int size)
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", Bytes(700, seed: 1));
        var path = temp.Write("in/changed.bin", Bytes(sizeSeenByTheWalk, seed: 2));
        temp.Write("in/z.bin", Bytes(9000, seed: 3));
        var content = Bytes(size, seed: 4);
        var hooked = new HookedTransform(new XorTransform())
        {
            Hook = (step, relative, n) =>
            {
                if (step == TransformStep.GetOutputPath && relative == "changed.bin" && n == 1)
                {
                    File.WriteAllBytes(path, content);
                }
            },
        };

        var summary = await RunAsync(hooked, Options(temp)).WaitAsync(Patience);

        var changed = Result(summary, "changed.bin");
        Assert.Equal((FileStatus.Succeeded, (long)size), (changed.Status, changed.BytesIn));
        Assert.Equal(3, summary.FilesSucceeded);
        AssertTree(XorOutputs(temp.Sub("in"), ["a.txt", "changed.bin", "z.bin"], aggregate: true), temp.Sub("out"));
    }

    // ---------------------------------------------------------------- 9. progress

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // every file skipped by a resume
    public async Task Run_Progress_LastReportCountsEveryFileAndByteAndTheWalksEnd(bool resumed)
    {
        using var temp = new TempDir();
        var files = Corpus.Generate(temp.Sub("in"), files: 25, maxSize: 12_000, seed: 8);
        var totalBytes = files.Sum(f => new FileInfo(temp.Sub("in/" + f)).Length);

        // A clock that never ticks on its own: no periodic report interleaves with the per-file ones.
        var options = Options(temp).With(o => o.TimeProvider = new ManualTimeProvider());
        if (resumed)
        {
            await RunAsync(new XorTransform(), options);
            options = options.With(o => o.Resume = true);
        }

        var progress = new RecordingProgress();

        var summary = await RunAsync(new XorTransform(), options, progress, CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(files.Count, resumed ? summary.FilesSkipped : summary.FilesSucceeded);
        var reports = progress.Reports;
        Assert.Equal(files.Order(StringComparer.Ordinal), reports.Where(r => r.LastResult is not null).Select(r => r.LastResult!.RelativePath).Order(StringComparer.Ordinal));
        Assert.Equal(reports.Select(r => r.FilesDone).Order(), reports.Select(r => r.FilesDone));
        var last = reports[^1];
        Assert.Equal((files.Count, 0L, totalBytes), (last.FilesDone, last.FilesFailed, last.BytesDone));

        // What an ETA needs: the walk's end, with the job's full size.
        Assert.True(last.WalkCompleted, $"the last of {reports.Count} reports does not say the walk ended (FilesFound {last.FilesFound}, BytesFound {last.BytesFound}); {reports.Count(r => r.WalkCompleted)} reports do");
        Assert.Equal((files.Count, totalBytes), (last.FilesFound, last.BytesFound));
    }

    [Fact]
    public async Task Run_Progress_WalkGoingOnAfterTheLastFile_TheLastReportStillSaysItEnded()
    {
        // After the last file, the walk still reads 10,000 empty folders; a resume skips every file at once, so the
        // last skip can be reported long before the walk ends unless the runner knows the end first (RunCounters.Found
        // looks a file ahead; with the end counted after the last file instead, the sequential runner failed this every
        // time and the pipeline in 3 of 4 runs here).
        using var temp = new TempDir();
        var files = Corpus.Generate(temp.Sub("in"), files: 10, maxSize: 1_000, seed: 9);
        for (var i = 0; i < 10_000; i++)
        {
            Directory.CreateDirectory(temp.Sub($"in/zz{i:D5}"));
        }

        var options = Options(temp).With(o => o.TimeProvider = new ManualTimeProvider());
        await RunAsync(new XorTransform(), options);
        var progress = new RecordingProgress();

        var summary = await RunAsync(new XorTransform(), options.With(o => o.Resume = true), progress, CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(files.Count, summary.FilesSkipped);
        var last = progress.Reports[^1];
        Assert.Equal(files.Count, last.FilesDone);
        Assert.True(last.WalkCompleted, $"the last of {progress.Reports.Count} reports does not say the walk ended");
    }

    // ---------------------------------------------------------------- 10. a transform that throws at every step

    public static TheoryData<TransformStep, bool> ThrowingSteps()
    {
        var data = new TheoryData<TransformStep, bool>();
        foreach (var step in (TransformStep[])[TransformStep.GetOutputPath, TransformStep.CreateProcessor, TransformStep.Append, TransformStep.Complete, TransformStep.Dispose])
        {
            data.Add(step, false);
            data.Add(step, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ThrowingSteps))]
    public async Task Run_TransformThrowsForOneFile_OnlyThatFileFailsWithTheMessageAndNothingIsLeftBehind(TransformStep step, bool streamed)
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", Bytes(500, seed: 1));
        temp.Write("in/b.bin", Bytes(10_000, seed: 2));
        temp.Write("in/victim.bin", Bytes(streamed ? 12_000 : 700, seed: 3));
        temp.Write("in/z.txt", Bytes(300, seed: 4));
        temp.Write("in/zz.bin", Bytes(9000, seed: 5));
        var message = $"boom in {step}";

        // A streamed file fails on its second chunk, once part of its output has been written.
        var hooked = new HookedTransform(new XorTransform())
        {
            Hook = HookedTransform.ThrowAt(step, "victim.bin", () => new InvalidOperationException(message), occurrence: step == TransformStep.Append && streamed ? 2 : 1),
        };

        var summary = await RunAsync(hooked, Options(temp)).WaitAsync(Patience);

        Assert.False(summary.Cancelled);
        Assert.False(summary.StoppedByErrorLimit);
        var failed = Assert.Single(summary.Results, r => r.Status == FileStatus.Failed);
        Assert.Equal("victim.bin", failed.RelativePath);
        Assert.Contains(message, failed.Error, StringComparison.Ordinal);
        Assert.Equal(4, summary.FilesSucceeded);

        // The others' outputs, the aggregate of the four, and nothing for the failed file (not even a complete one).
        AssertTree(XorOutputs(temp.Sub("in"), ["a.txt", "b.bin", "z.txt", "zz.bin"], aggregate: true), temp.Sub("out"));
        AssertLockReleased(temp.Sub("out"));
        Assert.Equal(hooked.ProcessorsCreated, hooked.ProcessorsDisposed);
    }

    /// <summary>
    /// The contract for a transform that cannot build its aggregate outputs, as both runners behave today: the run
    /// throws that exception (there is no file to blame it on); every file's own output is already in place, nothing
    /// temporary is left, the lock is released, and a resume skips the files and writes the aggregate.
    /// </summary>
    [Fact]
    public async Task Run_CreateAggregateOutputsThrows_TheRunThrowsItAndLeavesTheFilesOutputsForAResume()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", Bytes(500, seed: 1));
        temp.Write("in/b.bin", Bytes(10_000, seed: 2));
        var hooked = new HookedTransform(new XorTransform())
        {
            Hook = HookedTransform.ThrowAt(TransformStep.CreateAggregateOutputs, string.Empty, () => new InvalidOperationException("aggregate boom")),
        };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(hooked, Options(temp)).WaitAsync(Patience));

        Assert.Equal("aggregate boom", error.Message);
        AssertTree(XorOutputs(temp.Sub("in"), ["a.txt", "b.bin"], aggregate: false), temp.Sub("out"));
        AssertLockReleased(temp.Sub("out"));

        var resumed = await RunAsync(new XorTransform(), Options(temp).With(o => o.Resume = true));

        Assert.Equal(2, resumed.FilesSkipped);
        AssertTree(XorOutputs(temp.Sub("in"), ["a.txt", "b.bin"], aggregate: true), temp.Sub("out"));
    }

    // ---------------------------------------------------------------- 11. a file removed between the walk and the read

    /// <summary>
    /// The file is removed when the transform is asked for its output path: after the walk saw it, before it is read.
    /// (Removing it from an earlier file's transform would not do: the pipeline reads a batch of small files before
    /// transforming any of them.)
    /// </summary>
    [Theory]
    [InlineData(300)]
    [InlineData(20_000)]
    public async Task Run_FileRemovedBetweenTheWalkAndTheRead_FailsAsNotFoundWithoutRetriesAndTheOthersSucceed(int size)
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", Bytes(500, seed: 1));
        temp.Write("in/b.bin", Bytes(10_000, seed: 2));
        var gone = temp.Write("in/gone.bin", Bytes(size, seed: 3));
        temp.Write("in/z.txt", Bytes(300, seed: 4));
        var time = new ManualTimeProvider();
        var hooked = new HookedTransform(new XorTransform())
        {
            Hook = (step, relative, n) =>
            {
                if (step == TransformStep.GetOutputPath && relative == "gone.bin" && n == 1)
                {
                    File.Delete(gone);
                }
            },
        };

        var summary = await RunAsync(hooked, Options(temp).With(o => o.TimeProvider = time)).WaitAsync(Patience);

        var failed = Assert.Single(summary.Results, r => r.Status == FileStatus.Failed);
        Assert.Equal("gone.bin", failed.RelativePath);
        Assert.StartsWith("file not found", failed.Error, StringComparison.Ordinal);
        Assert.Equal(3, summary.FilesSucceeded);
        Assert.Equal(0, time.TimersCreated);
        AssertTree(XorOutputs(temp.Sub("in"), ["a.txt", "b.bin", "z.txt"], aggregate: true), temp.Sub("out"));
    }

    // ---------------------------------------------------------------- 12. a progress handler that throws

    /// <summary>
    /// The handler throws at the first file's report. In a runner that works on several files at once, a streamed
    /// file is held in the transform at that moment, its temporary output on disk (the handler waits for it when
    /// the runner has already taken that file); it must not be left behind when the run throws.
    /// </summary>
    [Fact]
    public async Task Run_ProgressHandlerThrows_TheRunThrowsItAndLeavesNoTemporaryFileAndNoLock()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", Bytes(500, seed: 1));
        for (var i = 0; i < 3; i++)
        {
            // The held one large enough (2,048 chunks) to still be streaming when the handler's exception has
            // reached the runner: a small one could be committed first, and the test would prove nothing.
            temp.Write($"in/b{i}.bin", Bytes(i == 0 ? 8 * 1024 * 1024 : 64 * 1024, seed: 2 + i));
        }

        using var gated = new GatedTransform(new XorTransform(), "b0.bin");
        var hooked = new HookedTransform(gated);
        var progress = new RecordingProgress
        {
            OnReport = report =>
            {
                if (report.LastResult is null)
                {
                    return;
                }

                // Only a runner that reports while other files are in flight can have b0 held here; the sequential
                // runner reports between files, so waiting for b0 there would wait for itself.
                if (ReportsWhileFilesAreInFlight && hooked.Calls(TransformStep.GetOutputPath, "b0.bin") > 0)
                {
                    // A progress handler is synchronous: blocking the runner's reporting thread here is the point.
#pragma warning disable VSTHRD002
                    gated.Reached.Wait(Patience);
#pragma warning restore VSTHRD002
                }

                gated.Open();
                throw new InvalidOperationException("the progress display broke");
            },
        };
        var options = Options(temp).With(o => { o.MaxDegreeOfParallelism = 2; o.IoConcurrency = 2; o.TimeProvider = new ManualTimeProvider(); });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(hooked, options, progress, CancellationToken.None).WaitAsync(Patience));

        Assert.Equal("the progress display broke", error.Message);
        AssertNoTemporaryFiles(temp.Sub("out"));
        AssertLockReleased(temp.Sub("out"));
        Assert.False(File.Exists(temp.Sub("out/count.txt")));
    }

    [Fact]
    public async Task Run_OptionsChangedOnceStarted_RunsWithTheOptionsAsTheyWereAtTheStart()
    {
        using var temp = new TempDir();
        var files = Corpus.Generate(temp.Sub("in"), files: 30, maxSize: 3 * Chunk, seed: 17);
        var options = Options(temp);

        var run = RunAsync(new XorTransform(), options);
        options.OutputRoot = temp.Sub("elsewhere");
        options.Selection.Include = ["nothing-matches-this"];
        options.KeepResults = false;
        var summary = await run.WaitAsync(Patience);

        Assert.Equal(files.Count, summary.FilesSucceeded);
        Assert.Equal(files.Count, summary.Results.Count);
        Assert.Equal($"{files.Count}\n", File.ReadAllText(temp.Sub("out/count.txt")));
        Assert.False(Directory.Exists(temp.Sub("elsewhere")));
    }

    // ---------------------------------------------------------------- helpers

    protected static PipelineOptions Options(TempDir temp) =>
        new(new FileSelection(temp.Sub("in")), temp.Sub("out")) { ChunkSize = Chunk };

    private static IFileTransform Create(string name) => name switch
    {
        "sha256" => new HashTransform(),
        "blake3" => new HashTransform(HashAlgorithmKind.Blake3),
        "xxh128" => new HashTransform(HashAlgorithmKind.Xxh128),
        "gzip" => new GzipTransform(),
        _ => new XorTransform(),
    };

    /// <summary>A digest of the whole content by a library other than the transform's wrapper of it, one call on all the bytes.</summary>
    private static byte[] ReferenceDigest(HashAlgorithmKind algorithm, byte[] content) => algorithm switch
    {
        HashAlgorithmKind.Sha256 => SHA256.HashData(content),
        HashAlgorithmKind.Blake3 => Blake3.Hasher.Hash(content).AsSpan().ToArray(),
        HashAlgorithmKind.Xxh128 => System.IO.Hashing.XxHash128.Hash(content),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "no reference for this algorithm"),
    };

    private static byte[] Bytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static FileResult Result(RunSummary summary, string relativePath) =>
        summary.Results.SingleOrDefault(r => r.RelativePath == relativePath)
        ?? throw new Xunit.Sdk.XunitException($"no result for {relativePath}; results: {Show(summary)}");

    private static string Show(RunSummary summary) =>
        string.Join("; ", summary.Results.Select(r => $"{r.RelativePath}: {r.Status}{(r.Error is null ? string.Empty : " (" + r.Error + ")")}"));

    private static string Show(IEnumerable<TimeSpan> delays) => "[" + string.Join(", ", delays) + "]";

    /// <summary>Waits for <paramref name="awaited"/>; fails with what the run did if it ended first, or if nothing happened in time.</summary>
    private static async Task WaitOrFailAsync(Task awaited, Task<RunSummary> run, string what)
    {
        var first = await Task.WhenAny(awaited, run, Task.Delay(Patience));
        if (first == awaited)
        {
            await awaited;
            return;
        }

        if (first == run)
        {
            string outcome;
            try
            {
                outcome = Show(await run);
            }
            catch (Exception ex)
            {
                outcome = $"threw {ex.GetType().Name}: {ex.Message}";
            }

            throw new Xunit.Sdk.XunitException($"the run ended before {what}; its results: {outcome}");
        }

        throw new Xunit.Sdk.XunitException($"timed out waiting for {what}");
    }

    /// <summary>The output tree, <c>.pipeline/</c> aside, is exactly <paramref name="expected"/>: the same files (so no temporary one) with the same bytes.</summary>
    private static void AssertTree(IReadOnlyDictionary<string, byte[]> expected, string outputRoot)
    {
        var actual = Directory.Exists(outputRoot) ? Corpus.Snapshot(outputRoot) : [];
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys);
        foreach (var (path, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[path]), $"{path} differs: expected {bytes.Length} bytes, found {actual[path].Length}");
        }
    }

    private static void AssertNoTemporaryFiles(string outputRoot)
    {
        var left = Directory.Exists(outputRoot)
            ? Directory.EnumerateFiles(outputRoot, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
                .Where(f => f.EndsWith(AtomicFileWriter.TempSuffix, StringComparison.Ordinal) || f.EndsWith(".tmp", StringComparison.Ordinal))
                .ToList()
            : [];
        Assert.True(left.Count == 0, $"temporary files left: {string.Join(", ", left.Select(f => Path.GetRelativePath(outputRoot, f)))}");
    }

    /// <summary>Another run could start on the same output: its lock can be taken.</summary>
    private static void AssertLockReleased(string outputRoot)
    {
        try
        {
            OutputFolderLock.Acquire(outputRoot).Dispose();
        }
        catch (OutputLockedException ex)
        {
            throw new Xunit.Sdk.XunitException($"the run returned but still holds the output folder's lock: {ex.Message}");
        }
    }

    /// <summary>XorTransform's outputs for <paramref name="succeeded"/>, by its definition, and its count.txt when <paramref name="aggregate"/>.</summary>
    private static Dictionary<string, byte[]> XorOutputs(string inputRoot, IEnumerable<string> succeeded, bool aggregate)
    {
        var list = succeeded.ToList();
        var outputs = list.ToDictionary(f => f + ".xor", f => XorTransform.Expected(File.ReadAllBytes(Path.Join(inputRoot, f))), StringComparer.Ordinal);
        if (aggregate)
        {
            outputs["count.txt"] = Encoding.ASCII.GetBytes(list.Count + "\n");
        }

        return outputs;
    }

    /// <summary>
    /// The outputs of a whole successful run, computed without any runner: XorTransform by its definition, a manifest by
    /// a hash library on the whole file (<see cref="ReferenceDigest"/>), gzip by feeding the transform's own processors the file in chunks (<see cref="GzipReference"/>, and checked to decompress
    /// to the input).
    /// </summary>
    private static Dictionary<string, byte[]> ExpectedOutputs(IFileTransform transform, string inputRoot, IEnumerable<string> files, int chunkSize)
    {
        var sorted = files.Order(StringComparer.Ordinal).ToList();
        switch (transform)
        {
            case XorTransform:
                return XorOutputs(inputRoot, sorted, aggregate: true);
            case HashTransform hash:
                var manifest = string.Concat(sorted.Select(f => $"{Convert.ToHexStringLower(ReferenceDigest(hash.Algorithm, File.ReadAllBytes(Path.Join(inputRoot, f))))}  {f}\n"));
                var name = hash.Algorithm switch
                {
                    HashAlgorithmKind.Sha256 => "SHA256SUMS",
                    HashAlgorithmKind.Blake3 => "B3SUMS",
                    HashAlgorithmKind.Xxh128 => "XXH128SUMS",
                    _ => throw new ArgumentOutOfRangeException(nameof(transform), hash.Algorithm, "no reference for this algorithm"),
                };
                return new Dictionary<string, byte[]>(StringComparer.Ordinal) { [name] = Encoding.UTF8.GetBytes(manifest) };
            default:
                var outputs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                foreach (var file in sorted)
                {
                    var input = File.ReadAllBytes(Path.Join(inputRoot, file));
                    var output = GzipReference.Expected(transform, file, input, chunkSize);
                    using (var gunzip = new GZipStream(new MemoryStream(output), CompressionMode.Decompress))
                    using (var roundTrip = new MemoryStream())
                    {
                        gunzip.CopyTo(roundTrip);
                        Assert.Equal(input, roundTrip.ToArray());
                    }

                    outputs[transform.GetOutputPath(file)!] = output;
                }

                return outputs;
        }
    }
}
