using System.Runtime.Versioning;
using Pipeline.Hashing;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Contract;

/// <summary>
/// Inputs that change under a run (a hostile user swapping a file or a folder for a link to a secret, or a file
/// rewritten while it is read) and the privacy of outputs, against each runner. The hook runs at the transform's
/// GetOutputPath step, which comes right after the walk has seen the file and before it is read (see section 8).
/// </summary>
public abstract partial class RunnerContract
{
    // ---------------------------------------------------------------- 12. the file the walk saw, or nothing

    [LinuxFact]
    public async Task Run_FileSwappedForALinkToASecretAfterTheWalk_FailsChangedAndNothingOfTheSecretIsWritten()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "alpha");
        var swapped = temp.Write("in/c.txt", "ordinary");
        var secret = temp.Write("secret/key", "the secret");
        var hooked = OnOutputPath("c.txt", () =>
        {
            File.Delete(swapped);
            File.CreateSymbolicLink(swapped, secret);
        });

        var summary = await RunAsync(hooked, Options(temp).With(o => o.Retries = 0)).WaitAsync(Patience);

        var c = Result(summary, "c.txt");
        Assert.Equal(FileStatus.Failed, c.Status);
        Assert.StartsWith("changed during the run", c.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.Sub("out/c.txt.xor")));
        AssertTree(XorOutputs(temp.Sub("in"), ["a.txt"], aggregate: true), temp.Sub("out"));
    }

    [LinuxFact]
    public async Task Run_FileReplacedByAnotherFileAfterTheWalk_FailsChangedEvenWithRetries()
    {
        using var temp = new TempDir();
        var path = temp.Write("in/c.txt", "ordinary");
        var other = temp.Write("elsewhere/c.txt", "replaced"); // the same size: only its identity tells
        var hooked = OnOutputPath("c.txt", () => File.Move(other, path, overwrite: true));

        var summary = await RunAsync(hooked, Options(temp).With(o => { o.Retries = 2; o.RetryDelay = TimeSpan.Zero; })).WaitAsync(Patience);

        var c = Result(summary, "c.txt");
        Assert.Equal(FileStatus.Failed, c.Status);
        Assert.Contains("no longer the one the walk found", c.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.Sub("out/c.txt.xor")));
    }

    [LinuxFact]
    public async Task Run_FolderSwappedForALinkBeforeItIsEntered_IsNotEnteredAndNothingOfTheSecretIsWritten()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "alpha");
        temp.Write("in/zdir/s.txt", "ordinary");
        temp.Write("secret/s.txt", "the secret");
        var hooked = OnOutputPath("a.txt", () =>
        {
            Directory.Move(temp.Sub("in/zdir"), temp.Sub("moved"));
            Directory.CreateSymbolicLink(temp.Sub("in/zdir"), temp.Sub("secret"));
        });

        var summary = await RunAsync(hooked, Options(temp)).WaitAsync(Patience);

        var zdir = Result(summary, "zdir/");
        Assert.Equal(FileStatus.Failed, zdir.Status);
        Assert.StartsWith("changed during the run", zdir.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(summary.Results, r => r.RelativePath == "zdir/s.txt");
        AssertTree(XorOutputs(temp.Sub("in"), ["a.txt"], aggregate: true), temp.Sub("out"));
    }

    [LinuxFact]
    public async Task Run_FolderSwappedForALinkAfterItWasListed_ItsFilesAreNotRead()
    {
        using var temp = new TempDir();
        temp.Write("in/zdir/s.txt", "ordinary");
        temp.Write("secret/s.txt", "the secret");
        var hooked = OnOutputPath("zdir/s.txt", () =>
        {
            Directory.Move(temp.Sub("in/zdir"), temp.Sub("moved"));
            Directory.CreateSymbolicLink(temp.Sub("in/zdir"), temp.Sub("secret"));
        });

        var summary = await RunAsync(hooked, Options(temp).With(o => o.Retries = 0)).WaitAsync(Patience);

        var s = Result(summary, "zdir/s.txt");
        Assert.Equal(FileStatus.Failed, s.Status);
        Assert.StartsWith("changed during the run", s.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.Sub("out/zdir/s.txt.xor")));
    }

    [Theory]
    [InlineData(1000, 1020)] // small, grew
    [InlineData(20_000, 100)] // streamed, shrank
    public async Task Run_FileChangedSizeBetweenTheWalkAndTheReadWithoutRetries_FailsChanged(int sizeSeenByTheWalk, int size)
    {
        using var temp = new TempDir();
        var path = temp.Write("in/changed.bin", Bytes(sizeSeenByTheWalk, seed: 2));
        var hooked = OnOutputPath("changed.bin", () => File.WriteAllBytes(path, Bytes(size, seed: 4)));

        var summary = await RunAsync(hooked, Options(temp).With(o => o.Retries = 0)).WaitAsync(Patience);

        var changed = Result(summary, "changed.bin");
        Assert.Equal(FileStatus.Failed, changed.Status);
        Assert.Equal("changed during the run: its size or modification time is not what the walk found", changed.Error);
        AssertTree(XorOutputs(temp.Sub("in"), [], aggregate: true), temp.Sub("out"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task Run_FileTruncatedWhileItIsRead_FailsChangedWithNoOutputOrIsReadWholeOnRetry(int retries)
    {
        using var temp = new TempDir();
        var path = temp.Write("in/big.bin", Bytes(64 * Chunk, seed: 5));
        var truncated = false;
        var hooked = new HookedTransform(new XorTransform())
        {
            Hook = (step, relative, n) =>
            {
                // The first chunk reaches the transform: the reader is at most a few chunks ahead, far from the end.
                if (step == TransformStep.Append && relative == "big.bin" && !truncated)
                {
                    truncated = true;
                    using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
                    file.SetLength(1000);
                }
            },
        };

        var summary = await RunAsync(hooked, Options(temp).With(o => { o.Retries = retries; o.RetryDelay = TimeSpan.Zero; })).WaitAsync(Patience);

        var big = Result(summary, "big.bin");
        if (retries == 0)
        {
            Assert.Equal((FileStatus.Failed, "changed during the run: it changed while it was read (size or modification time)"), (big.Status, big.Error));
            AssertTree(XorOutputs(temp.Sub("in"), [], aggregate: true), temp.Sub("out"));
        }
        else
        {
            // Read again from scratch: the output is the file as it is now, never a mix of both.
            Assert.Equal((FileStatus.Succeeded, 1000L), (big.Status, big.BytesIn));
            AssertTree(XorOutputs(temp.Sub("in"), ["big.bin"], aggregate: true), temp.Sub("out"));
        }

        AssertNoTemporaryFiles(temp.Sub("out"));
    }

    // ---------------------------------------------------------------- 13. private inputs stay private

    [LinuxTheory]
    [InlineData(0b110_000_000)] // 0600
    [InlineData(0b110_100_000)] // 0640
    [InlineData(0b111_101_101)] // 0755
    [InlineData(0b100_100_100)] // 0444
    [SupportedOSPlatform("linux")]
    public async Task Run_OutputOfAFile_HasItsInputsPermissionBits(int mode)
    {
        using var temp = new TempDir();
        var small = temp.Write("in/small.txt", "alpha");
        var streamed = temp.Write("in/streamed.bin", Bytes(10 * Chunk, seed: 6));
        File.SetUnixFileMode(small, (UnixFileMode)mode);
        File.SetUnixFileMode(streamed, (UnixFileMode)mode);

        var summary = await RunAsync(new XorTransform(), Options(temp)).WaitAsync(Patience);

        Assert.Equal(2, summary.FilesSucceeded);
        Assert.Equal((UnixFileMode)mode, File.GetUnixFileMode(temp.Sub("out/small.txt.xor")));
        Assert.Equal((UnixFileMode)mode, File.GetUnixFileMode(temp.Sub("out/streamed.bin.xor")));
    }

    [LinuxTheory]
    [InlineData(0b110_100_100, 0b110_100_100, 0b110_100_100)] // 0644 and 0644: 0644
    [InlineData(0b110_100_100, 0b110_000_000, 0b110_000_000)] // one of them 0600: 0600
    [InlineData(0b110_100_000, 0b100_100_100, 0b110_100_000)] // 0640 and 0444: 0640 (the owner may always read and write it)
    [SupportedOSPlatform("linux")]
    public async Task Run_Manifest_IsNoMoreReadableThanItsMostPrivateInput(int first, int second, int expected)
    {
        using var temp = new TempDir();
        File.SetUnixFileMode(temp.Write("in/a.txt", "alpha"), (UnixFileMode)first);
        File.SetUnixFileMode(temp.Write("in/sub/b.txt", "beta"), (UnixFileMode)second);

        var summary = await RunAsync(new HashTransform(), Options(temp)).WaitAsync(Patience);

        Assert.Equal(2, summary.FilesSucceeded);
        Assert.Equal((UnixFileMode)expected, File.GetUnixFileMode(temp.Sub("out/SHA256SUMS")));
    }

    [Hostile.RootFact("giving an output its input's owner")]
    [SupportedOSPlatform("linux")]
    public async Task Run_AsRoot_OutputGetsItsInputsOwnerAndGroup()
    {
        using var temp = new TempDir();
        var input = temp.Write("in/theirs.txt", "someone else's");
        File.SetUnixFileMode(input, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal(0, (await ExternalCommand.RunAsync("chown", ["65534:65534", input], temp.Path, Patience)).ExitCode);

        await RunAsync(new XorTransform(), Options(temp)).WaitAsync(Patience);

        var owner = await ExternalCommand.RunAsync("stat", ["-c", "%u:%g %a", temp.Sub("out/theirs.txt.xor")], temp.Path, Patience);
        Assert.Equal("65534:65534 600", owner.Out.Trim());
    }

    // ---------------------------------------------------------------- 14. the walk goes only where a match can be

    [LinuxFact]
    public async Task Run_IncludeOfOneFolder_DoesNotDescendElsewhereSoItsErrorsAreNotTheRuns()
    {
        using var temp = new TempDir();
        temp.Write("in/etc/hostname", "host\n");
        temp.Write("in/etc/other", "other\n");
        Directory.CreateDirectory(temp.Sub("in/proc/1"));
        Directory.CreateSymbolicLink(temp.Sub("in/proc/1/loop"), ".."); // a loop: an error wherever the walk meets it
        var options = Options(temp).With(o => o.Selection = new FileSelection(temp.Sub("in")) { Include = ["etc/hostname"], FollowSymlinks = true });

        var summary = await RunAsync(new XorTransform(), options).WaitAsync(Patience);

        Assert.Equal(["etc/hostname"], summary.Results.Select(r => r.RelativePath));
        Assert.Equal((1, 0), (summary.FilesSucceeded, summary.FilesFailed));
    }

    private static HookedTransform OnOutputPath(string relativePath, Action change) => new(new XorTransform())
    {
        Hook = (step, relative, n) =>
        {
            if (step == TransformStep.GetOutputPath && relative == relativePath && n == 1)
            {
                change();
            }
        },
    };
}
