using Pipeline.IO;
using Pipeline.Running;
using Pipeline.Running.Engine;
using Pipeline.Sources;
using Pipeline.Tests.Support;
using Pipeline.Unattended;

namespace Pipeline.Tests.Running;

/// <summary>
/// <see cref="DataflowRunner.StreamResultsAsync"/>: the run as an <c>await foreach</c>, in walk order, at the reader's pace;
/// every way of leaving the loop early stops the run before the loop's DisposeAsync returns: nothing running, no
/// temporary file, the output folder's lock released.
/// </summary>
public sealed class StreamResultsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task StreamResultsAsync_ReadToTheEnd_YieldsEveryResultInWalkOrderAndWritesTheAggregates()
    {
        using var temp = new TempDir();
        var files = Corpus.Generate(temp.Sub("in"), files: 120, maxSize: 20_000, seed: 5);
        var seen = new List<string>();

        await foreach (var result in DataflowRunner.StreamResultsAsync(new XorTransform(), Options(temp)))
        {
            Assert.Equal(FileStatus.Succeeded, result.Status);
            seen.Add(result.RelativePath);
        }

        Assert.Equal(files.Order(StringComparer.Ordinal), seen);
        Assert.Equal("120\n", File.ReadAllText(temp.Sub("out/count.txt")));
        AssertStopped(temp);
    }

    [Fact]
    public async Task StreamResultsAsync_OptionsChangedBeforeTheFirstRead_RunsWithTheOptionsAsTheyWereWhenAskedFor()
    {
        using var temp = new TempDir();
        var files = Corpus.Generate(temp.Sub("in"), files: 12, maxSize: 2_000, seed: 6);
        var options = Options(temp);

        var sut = DataflowRunner.StreamResultsAsync(new XorTransform(), options);
        options.OutputRoot = temp.Sub("elsewhere");
        options.Selection.Include = ["nothing-matches-this"];
        var seen = new List<string>();
        await foreach (var result in sut)
        {
            seen.Add(result.RelativePath);
        }

        Assert.Equal(files.Order(StringComparer.Ordinal), seen);
        Assert.Equal("12\n", File.ReadAllText(temp.Sub("out/count.txt")));
        Assert.False(Directory.Exists(temp.Sub("elsewhere")));
    }

    [Fact]
    public async Task StreamResultsAsync_BreakWhileAFileIsHeld_StopsTheRunBeforeTheLoopEnds()
    {
        using var temp = new TempDir();
        var transform = HeldRun(temp);
        var read = 0;

        await foreach (var result in DataflowRunner.StreamResultsAsync(transform, Options(temp)))
        {
            read++;
            await transform.Reached.WaitAsync(Patience);
            AssertTemporaryFileExists(temp);
            break;
        }

        Assert.Equal(1, read);
        AssertStopped(temp);
    }

    [Fact]
    public async Task StreamResultsAsync_ThrowInTheLoop_StopsTheRunAndTheExceptionComesOut()
    {
        using var temp = new TempDir();
        var transform = HeldRun(temp);

        async Task ReadAsync()
        {
            await foreach (var result in DataflowRunner.StreamResultsAsync(transform, Options(temp)))
            {
                await transform.Reached.WaitAsync(Patience);
                AssertTemporaryFileExists(temp);
                throw new InvalidOperationException("the reader gave up on " + result.RelativePath);
            }
        }

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(ReadAsync);

        Assert.Equal("the reader gave up on a-000.txt", thrown.Message);
        AssertStopped(temp);
    }

    [Fact]
    public async Task StreamResultsAsync_CancelledWhileAFileIsHeld_EndsWithOperationCanceledAfterTheRunStopped()
    {
        using var temp = new TempDir();
        var transform = HeldRun(temp);
        using var cancellation = new CancellationTokenSource();
        var read = new List<FileResult>();

        async Task ReadAsync()
        {
            await foreach (var result in DataflowRunner.StreamResultsAsync(transform, Options(temp), cancellation.Token))
            {
                read.Add(result);
                if (read.Count == 1)
                {
                    await transform.Reached.WaitAsync(Patience);
                    AssertTemporaryFileExists(temp);
                    await cancellation.CancelAsync();
                }
            }
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(ReadAsync);

        Assert.DoesNotContain(read, r => r.RelativePath == "m-held.txt" && r.Status == FileStatus.Succeeded);
        AssertStopped(temp);
    }

    [Fact]
    public async Task StreamResultsAsync_SlowReader_RunTakesFilesAtMostTheWindowAheadOfIt()
    {
        using var temp = new TempDir();
        var options = Options(temp).With(o => { o.MaxDegreeOfParallelism = 1; o.IoConcurrency = 1; });
        var window = ConsumerWindow.For(options).Size;
        var files = (int)(3 * window);
        for (var i = 0; i < files; i++)
        {
            temp.Write($"in/f{i:D5}.txt", "x");
        }

        long taken = 0;
        var overtaken = 0;
        var started = 0;
        var reachedTheWindow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hooked = new HookedTransform(new XorTransform())
        {
            Hook = (step, _, _) =>
            {
                if (step != TransformStep.CreateProcessor)
                {
                    return;
                }

                // File n (from 1) may start only while it is no more than the window ahead of the results read (the
                // one in the reader's hand counts as read: the loop body counts it a moment later).
                var n = Interlocked.Increment(ref started);
                if (n > Interlocked.Read(ref taken) + 1 + window)
                {
                    Interlocked.Increment(ref overtaken);
                }

                if (n >= window + 1)
                {
                    reachedTheWindow.TrySetResult();
                }
            },
        };
        var reported = 0;
        var allTakenFinished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        options = options.With(o => o.Results = new InlineProgress(_ =>
        {
            if (Interlocked.Increment(ref reported) == window + 1)
            {
                allTakenFinished.TrySetResult();
            }
        }));

        var read = 0;
        await foreach (var result in DataflowRunner.StreamResultsAsync(hooked, options))
        {
            Interlocked.Increment(ref taken);
            if (++read == 1)
            {
                // The reader holds the first result: the run goes on to the edge of the window and no further.
                await reachedTheWindow.Task.WaitAsync(Patience);
                await allTakenFinished.Task.WaitAsync(Patience);
                Assert.Equal(window + 1, Volatile.Read(ref started));
            }
        }

        Assert.Equal(0, overtaken);
        Assert.Equal(files, read);
        AssertStopped(temp);
    }

    [Fact]
    public async Task StreamResultsAsync_OutputFolderLockedByAnotherRun_ThrowsFromTheFirstMoveNext()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "alpha");
        Directory.CreateDirectory(temp.Sub("out"));
        using var other = OutputFolderLock.Acquire(temp.Sub("out"));

        var stream = DataflowRunner.StreamResultsAsync(new XorTransform(), Options(temp));

        await Assert.ThrowsAsync<OutputLockedException>(async () =>
        {
            await foreach (var result in stream)
            {
                Assert.Fail("no result expected, got " + result.RelativePath);
            }
        });
    }

    /// <summary>Twenty small files and, in the middle of the walk, one the transform holds until the run is stopped.</summary>
    private static HoldingTransform HeldRun(TempDir temp)
    {
        for (var i = 0; i < 20; i++)
        {
            temp.Write($"in/{(i < 10 ? "a" : "z")}-{i:D3}.txt", new string('x', 100 + i));
        }

        temp.Write("in/m-held.txt", new string('h', 64 * 1024));
        return new HoldingTransform("m-held.txt");
    }

    private static PipelineOptions Options(TempDir temp) =>
        new(new FileSelection(temp.Sub("in")), temp.Sub("out")) { ChunkSize = PipelineOptions.MinChunkSize };

    private static string[] TemporaryFiles(TempDir temp) =>
        Directory.Exists(temp.Sub("out"))
            ? [.. Directory.EnumerateFiles(temp.Sub("out"), "*" + AtomicFileWriter.TempSuffix, new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })]
            : [];

    private static void AssertTemporaryFileExists(TempDir temp) =>
        Assert.True(TemporaryFiles(temp).Length > 0, "the held file's temporary output should exist while it is held");

    /// <summary>Once the loop is left: no temporary file, and the lock free for a second run.</summary>
    private static void AssertStopped(TempDir temp)
    {
        Assert.Empty(TemporaryFiles(temp));
        OutputFolderLock.Acquire(temp.Sub("out")).Dispose();
    }

    private sealed class InlineProgress(Action<FileResult> report) : IProgress<FileResult>
    {
        public void Report(FileResult value) => report(value);
    }
}
