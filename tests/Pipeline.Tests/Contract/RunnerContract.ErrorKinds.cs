using System.Diagnostics;
using System.Runtime.Versioning;
using Pipeline.Compression;
using Pipeline.Exec;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Hostile;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Contract;

/// <summary>
/// Every failed result says what kind of failure it is (<see cref="FileResult.ErrorKind"/>) and keeps the exception
/// that caused it (<see cref="FileResult.Exception"/>), each kind produced here by a real cause, against each runner.
/// The messages are the ones a user has always read: the kind is made from the cause, and the message from both.
/// </summary>
public abstract partial class RunnerContract
{
    // ---------------------------------------------------------------- 18. failures as values that keep their cause

    [LinuxFact]
    public async Task Run_FileRemovedAfterTheWalk_FailsNotFoundWithTheSystemsException()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "alpha");
        var gone = temp.Write("in/gone.txt", "soon removed");
        var hooked = OnOutputPath("gone.txt", () => File.Delete(gone));

        var summary = await RunAsync(hooked, Options(temp).With(o => o.Retries = 0)).WaitAsync(Patience);

        var failed = AssertFailed(summary, "gone.txt", FileErrorKind.NotFound);
        Assert.IsType<FileNotFoundException>(failed.Exception);
        Assert.Equal("file not found (it was removed during the run?)", failed.Error);
        Assert.Equal(FileErrorKind.None, Result(summary, "a.txt").ErrorKind);
        Assert.Null(Result(summary, "a.txt").Exception);
    }

    [NonRootFact]
    [SupportedOSPlatform("linux")]
    public async Task Run_UnreadableFile_FailsPermissionDenied()
    {
        using var temp = new TempDir();
        var locked = temp.Write("in/locked.txt", "private");
        File.SetUnixFileMode(locked, UnixFileMode.None);

        var summary = await RunAsync(new XorTransform(), Options(temp).With(o => o.Retries = 0)).WaitAsync(Patience);

        var failed = AssertFailed(summary, "locked.txt", FileErrorKind.PermissionDenied);
        Assert.IsType<UnauthorizedAccessException>(failed.Exception);
        Assert.Equal("permission denied", failed.Error);
    }

    [LinuxFact]
    public async Task Run_NamedPipeInTheInput_FailsNotRegularFileAndIsNeverOpened()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "alpha");
        var make = Process.Start("mkfifo", [temp.Sub("in/pipe")]);
        await make.WaitForExitAsync();
        Assert.Equal(0, make.ExitCode);

        var summary = await RunAsync(new XorTransform(), Options(temp)).WaitAsync(Patience);

        var failed = AssertFailed(summary, "pipe", FileErrorKind.NotRegularFile);
        Assert.IsAssignableFrom<IOException>(failed.Exception);
        Assert.Equal("not a regular file (named pipe)", failed.Error);
    }

    [LinuxFact]
    public async Task Run_LinkToItselfFollowed_FailsLinkLoop()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "alpha");
        File.CreateSymbolicLink(temp.Sub("in/loop"), temp.Sub("in/loop"));
        var options = Options(temp).With(o => o.Selection = new FileSelection(temp.Sub("in")) { FollowSymlinks = true });

        var summary = await RunAsync(new XorTransform(), options).WaitAsync(Patience);

        var failed = AssertFailed(summary, "loop", FileErrorKind.LinkLoop);
        Assert.Equal("symbolic link loop (the link leads back to itself)", failed.Error);
    }

    [LinuxFact]
    public async Task Run_FileSwappedForAnotherAfterTheWalk_FailsChangedDuringRun()
    {
        using var temp = new TempDir();
        var path = temp.Write("in/c.txt", "ordinary");
        var other = temp.Write("elsewhere/c.txt", "replaced");
        var hooked = OnOutputPath("c.txt", () => File.Move(other, path, overwrite: true));

        var summary = await RunAsync(hooked, Options(temp).With(o => o.Retries = 0)).WaitAsync(Patience);

        var failed = AssertFailed(summary, "c.txt", FileErrorKind.ChangedDuringRun);
        Assert.IsAssignableFrom<IOException>(failed.Exception);
        Assert.Equal(failed.Exception!.Message, failed.Error);
    }

    [LinuxFact]
    public async Task Run_FileLockedByAnotherProgram_FailsLocked()
    {
        using var temp = new TempDir();
        var path = temp.Write("in/held.txt", "held");
        temp.Write("in/free.txt", "free");

        // .NET takes an exclusive flock for FileShare.None on Unix: the reader's shared, non-blocking one is refused.
        using (new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None))
        {
            var summary = await RunAsync(new XorTransform(), Options(temp).With(o => o.Retries = 0)).WaitAsync(Patience);

            var failed = AssertFailed(summary, "held.txt", FileErrorKind.Locked);
            Assert.Equal("the file is locked by another program", failed.Error);
            Assert.Equal(FileStatus.Succeeded, Result(summary, "free.txt").Status);
        }
    }

    [LinuxFact]
    public async Task Run_OutputNameLongerThanTheFileSystemAllows_FailsNameTooLong()
    {
        using var temp = new TempDir();
        var name = new string('n', 254); // a legal name (file systems allow 255 bytes); its output's, with ".xor", is 258
        temp.Write("in/" + name, "content");

        var summary = await RunAsync(new XorTransform(), Options(temp)).WaitAsync(Patience);

        var failed = AssertFailed(summary, name, FileErrorKind.NameTooLong);
        Assert.IsType<PathTooLongException>(failed.Exception);
        Assert.StartsWith("output name too long: 258 bytes", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CorruptGzipInput_FailsBadData()
    {
        using var temp = new TempDir();
        temp.Write("in/bad.gz", [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff]);

        var summary = await RunAsync(new GunzipTransform(), Options(temp)).WaitAsync(Patience);

        var failed = AssertFailed(summary, "bad.gz", FileErrorKind.BadData);
        Assert.IsType<InvalidDataException>(failed.Exception);
        Assert.Equal(failed.Exception!.Message, failed.Error);
        AssertNoTemporaryFiles(temp.Sub("out"));
    }

    [MountFact("to mount a 2 MB tmpfs")]
    public async Task Run_OutputOnAFullDisk_FailsDiskFullWithTheSystemsErrorNumber()
    {
        using var temp = new TempDir();
        var random = new Random(7);
        for (var i = 0; i < 6; i++)
        {
            var content = new byte[512 * 1024];
            random.NextBytes(content); // incompressible: each .gz is larger than its input
            temp.Write($"in/r{i}.bin", content);
        }

        var disk = temp.Sub("disk");
        Directory.CreateDirectory(disk);
        Assert.Equal(0, await ShAsync("mount -t tmpfs -o size=2m tmpfs \"$1\"", disk));
        try
        {
            var options = Options(temp).With(o => { o.OutputRoot = Path.Join(disk, "out"); o.MaxDegreeOfParallelism = 1; o.Journal = false; });

            var summary = await RunAsync(new GzipTransform(), options).WaitAsync(Patience);

            var full = summary.Results.Where(r => r.Status == FileStatus.Failed).ToList();
            Assert.NotEmpty(full);
            Assert.All(full, f => Assert.Equal((FileErrorKind.DiskFull, "disk full", 28), (f.ErrorKind, f.Error, f.Exception?.HResult)));
            AssertNoTemporaryFiles(options.OutputRoot);
        }
        finally
        {
            await ShAsync("umount \"$1\" 2>/dev/null || umount -l \"$1\"", disk);
        }
    }

    [LinuxFact]
    public async Task Run_CommandExits3_FailsCommandFailedWithItsExitCode()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "alpha");
        var transform = new ExecTransform(new ExecOptions { Command = ["sh", "-c", "echo 'no good' >&2; exit 3"] });

        var summary = await RunAsync(transform, Options(temp)).WaitAsync(Patience);

        var failed = AssertFailed(summary, "a.txt", FileErrorKind.CommandFailed);
        Assert.Equal((3, false), (Assert.IsType<CommandFailedException>(failed.Exception).ExitCode, ((CommandFailedException)failed.Exception!).TimedOut));
        Assert.Equal("command failed: exit 3: no good", failed.Error);
    }

    [Fact]
    public async Task Run_OutputPathInsideTheToolsOwnFolder_FailsOutputRefusedAndTheJournalIsWhole()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "alpha");
        temp.Write("in/journal", "an input that would become the output's journal");

        // An embedder's transform whose outputs go where the run keeps its lock and journal.
        var summary = await RunAsync(new IntoToolsFolder(), Options(temp)).WaitAsync(Patience);

        Assert.StartsWith("its output .pipeline/journal would be inside .pipeline", AssertFailed(summary, "journal", FileErrorKind.OutputRefused).Error, StringComparison.Ordinal);
        AssertFailed(summary, "a.txt", FileErrorKind.OutputRefused);
        Assert.DoesNotContain("an input", File.ReadAllText(temp.Sub("out/.pipeline/journal")), StringComparison.Ordinal);
    }

    [LinuxFact]
    public async Task Run_CommandThatDoesNotExist_FailsCommandFailedKeepingTheLookupsException()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "alpha");
        var missing = temp.Sub("no-such-program");
        var transform = new ExecTransform(new ExecOptions { Command = [missing] });

        var summary = await RunAsync(transform, Options(temp)).WaitAsync(Patience);

        // Not "file not found (it was removed during the run?)": the input is there, the command is not.
        var failed = AssertFailed(summary, "a.txt", FileErrorKind.CommandFailed);
        var exception = Assert.IsType<CommandFailedException>(failed.Exception);
        Assert.IsType<FileNotFoundException>(exception.InnerException);
        Assert.Null(exception.ExitCode);
        Assert.Equal($"command not found or not executable: {missing}", failed.Error);
    }

    [LinuxFact]
    public async Task Run_ExecOptionsChangedAfterTheTransformWasMade_TheRunAndItsFingerprintKeepTheFirstCommand()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "alpha\n");
        List<string> command = ["tr", "a-z", "A-Z"];
        var transform = new ExecTransform(new ExecOptions { Command = command });
        var fingerprint = transform.Fingerprint;

        command[1] = "a";
        command[2] = "b";
        var summary = await RunAsync(transform, Options(temp)).WaitAsync(Patience);

        Assert.Equal(FileStatus.Succeeded, Result(summary, "a.txt").Status);
        Assert.Equal("ALPHA\n", File.ReadAllText(temp.Sub("out/a.txt")));
        Assert.Equal(fingerprint, transform.Fingerprint);
    }

    [LinuxFact]
    public async Task Run_CommandPastItsTimeout_FailsTimedOut()
    {
        using var temp = new TempDir();
        temp.Write("in/slow.txt", "x");
        var transform = new ExecTransform(new ExecOptions { Command = ["sleep", "60"], Timeout = TimeSpan.FromMilliseconds(300) });

        var summary = await RunAsync(transform, Options(temp)).WaitAsync(Patience);

        var failed = AssertFailed(summary, "slow.txt", FileErrorKind.TimedOut);
        Assert.True(Assert.IsType<CommandFailedException>(failed.Exception).TimedOut);
        Assert.StartsWith("timed out after 300 ms", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CancelledWhileAFileIsHeld_ItsResultIsCancelledOfKindCancelled()
    {
        using var temp = new TempDir();
        temp.Write("in/held.bin", Bytes(2000, seed: 1));
        using var gated = new GatedTransform(new XorTransform(), "held.bin");
        using var cancellation = new CancellationTokenSource();

        var run = RunAsync(gated, Options(temp), null, cancellation.Token);
        await WaitOrFailAsync(gated.Reached, run, "the held file to reach the transform");
        await cancellation.CancelAsync();
        gated.Open();
        var summary = await run.WaitAsync(Patience);

        var held = Result(summary, "held.bin");
        Assert.Equal((FileStatus.Cancelled, FileErrorKind.Cancelled, null), (held.Status, held.ErrorKind, held.Error));
    }

    private static FileResult AssertFailed(RunSummary summary, string relativePath, FileErrorKind kind)
    {
        var result = Result(summary, relativePath);
        Assert.True(result.Status == FileStatus.Failed && result.ErrorKind == kind, $"{relativePath}: expected a failure of kind {kind}, found {result.Status} {result.ErrorKind} ({result.Error})");
        Assert.NotNull(result.Exception);
        return result;
    }

    private static async Task<int> ShAsync(string script, string argument)
    {
        using var sh = Process.Start("sh", ["-c", script, "sh", argument]);
        await sh.WaitForExitAsync();
        return sh.ExitCode;
    }

    private sealed class IntoToolsFolder : Pipeline.Transforms.AsyncFileTransform
    {
        public override string Name => "into-tools-folder";

        public override string Fingerprint => "into-tools-folder:1";

        public override string? GetOutputPath(string relativePath) => ".pipeline/" + relativePath;

        public override async ValueTask<object?> ProcessAsync(Pipeline.Transforms.FileWork work, CancellationToken cancellationToken)
        {
            await work.Input.CopyToAsync(work.Output, cancellationToken);
            return null;
        }
    }
}
