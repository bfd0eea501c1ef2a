using Pipeline.IO;
using Pipeline.Tests.Running;
using Pipeline.Tests.Support;
using Pipeline.Unattended;

namespace Pipeline.Tests.Unattended;

/// <summary>
/// What only a real process shows. A file of the input is held locked by this test process, so the child keeps
/// retrying it and cannot finish: a deterministic window in which to kill it or signal it, without sleeping.
/// </summary>
public sealed class ChildProcessTests
{
    private const int Files = 400;

    [LinuxTheory]
    [InlineData("gzip")]
    [InlineData("hash")]
    public async Task Resume_AfterKillNineAtThreePoints_OutputsMatchACleanRunWithNoTemporaryFileLeft(string transform)
    {
        using var temp = new TempDir();
        var locked = Setup(temp);
        var journal = RunJournal.PathFor(temp.Sub("out"));
        using (var hold = Hold(locked))
        {
            foreach (var fraction in (double[])[0.25, 0.5, 0.75])
            {
                using var child = ChildPipeline.Start("run", transform, temp.Sub("in"), "-o", temp.Sub("out"), "--resume", "--retries", "10", "-p", "1", "--io-concurrency", "2", "--quiet");
                await child.WaitUntilAsync(() => Lines(journal) >= (int)(Files * fraction), $"{fraction:P0} of the files were journaled");
                child.Kill();
                var (exit, _, _) = await child.WaitAsync();
                Assert.Equal(137, exit); // killed by SIGKILL, not finished
            }
        }

        var resumed = await ChildPipeline.RunAsync("run", transform, temp.Sub("in"), "-o", temp.Sub("out"), "--resume", "--json");
        var clean = await ChildPipeline.RunAsync("run", transform, temp.Sub("in"), "-o", temp.Sub("clean"));

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(0, clean.ExitCode);
        Assert.Contains("\"files_skipped\":", resumed.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("\"files_skipped\":0,", resumed.Out, StringComparison.Ordinal);
        Assert.Equal(Corpus.Snapshot(temp.Sub("clean")), Corpus.Snapshot(temp.Sub("out")));
        Assert.Empty(Directory.GetFiles(temp.Sub("out"), "*" + AtomicFileWriter.TempSuffix, SearchOption.AllDirectories));
    }

    [LinuxTheory]
    [InlineData(2, 130)]
    [InlineData(15, 143)]
    public async Task Signal_WhileRunning_StopsCleanlyWithItsExitCodeAndNoPartialOutput(int signal, int expectedExit)
    {
        using var temp = new TempDir();
        var locked = Setup(temp);
        var journal = RunJournal.PathFor(temp.Sub("out"));
        (int ExitCode, string Out, string Error) result;
        using (Hold(locked))
        {
            using var child = ChildPipeline.Start("run", "gzip", temp.Sub("in"), "-o", temp.Sub("out"), "--retries", "10", "-p", "1");
            await child.WaitUntilAsync(() => Lines(journal) >= Files / 2, "half of the files were journaled");
            child.Signal(signal);
            result = await child.WaitAsync();
        }

        Assert.Equal(expectedExit, result.ExitCode);
        Assert.Contains("cancelled: files in flight were abandoned and no partial output was left", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(temp.Sub("out"), "*" + AtomicFileWriter.TempSuffix, SearchOption.AllDirectories));
        Assert.False(File.Exists(temp.Sub("out/zzz-locked.bin.gz")));
        Assert.True(Lines(journal) >= Files / 2);
    }

    [LinuxFact]
    public async Task Lock_HeldByAnotherProcess_SecondRunIsRefusedAtOnceAndTouchesNothing()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        Directory.CreateDirectory(temp.Sub("out"));

        (int ExitCode, string Out, string Error) refused;
        using (OutputFolderLock.Acquire(temp.Sub("out")))
        {
            refused = await ChildPipeline.RunAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"));
        }

        Assert.Equal(75, refused.ExitCode);
        Assert.Equal($"error: output folder is in use by another pipeline run (process {Environment.ProcessId}): {temp.Sub("out")}\n", refused.Error);
        // Only what this test's own lock wrote: the refused run created nothing.
        Assert.Equal([".pipeline/lock", ".pipeline/lock.pid"], Directory.GetFiles(temp.Sub("out"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(temp.Sub("out"), f)).Order(StringComparer.Ordinal));
    }

    [LinuxFact]
    public async Task Lock_TwoPipelineProcessesOnOneOutput_TheSecondIsRefusedWhileTheFirstRuns()
    {
        using var temp = new TempDir();
        var locked = Setup(temp);
        using (Hold(locked))
        {
            using var first = ChildPipeline.Start("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "--retries", "10");
            await first.WaitUntilAsync(() => Lines(RunJournal.PathFor(temp.Sub("out"))) >= 10, "the first run was under way");

            var second = await ChildPipeline.RunAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"));

            Assert.Equal(75, second.ExitCode);
            Assert.Equal($"error: output folder is in use by another pipeline run (process {first.Id}): {temp.Sub("out")}\n", second.Error);
            first.Kill();
        }
    }

    [LinuxFact]
    public async Task Lock_LeftByAKilledRun_DoesNotBlockTheNextRun()
    {
        using var temp = new TempDir();
        var locked = Setup(temp);
        using (Hold(locked))
        {
            using var child = ChildPipeline.Start("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "--retries", "10");
            await child.WaitUntilAsync(() => Lines(RunJournal.PathFor(temp.Sub("out"))) >= 10, "the run was under way");
            child.Kill();
            await child.WaitAsync();
        }

        var next = await ChildPipeline.RunAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "--resume");

        Assert.True(next.ExitCode == 0, next.Error);
        Assert.Equal(Files + 1, (await File.ReadAllLinesAsync(temp.Sub("out/SHA256SUMS"))).Length);
    }

    /// <summary>A tree of <see cref="Files"/> files plus one, last in order, that the test will hold locked.</summary>
    private static string Setup(TempDir temp)
    {
        Corpus.Generate(temp.Sub("in"), files: Files, maxSize: 40_000, seed: 21);
        return temp.Write("in/zzz-locked.bin", new byte[5000]);
    }

    /// <summary>Holds an exclusive lock on a file (flock on Linux), as another program writing it would.</summary>
    private static FileStream Hold(string path) => new(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);

    private static int Lines(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Count(c => c == '\n');
    }
}
