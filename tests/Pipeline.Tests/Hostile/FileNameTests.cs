using System.Text;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Hostile;

/// <summary>
/// H. Names the file system allows and .NET finds awkward: bytes that are not UTF-8, names at the 255-byte limit
/// (NAME_MAX counts bytes, not characters), paths longer than PATH_MAX. The rule: no crash; a file that cannot be
/// handled is a failed entry with a true reason; the others succeed.
/// </summary>
public sealed class FileNameTests
{
    [LinuxFact]
    public async Task Run_FileNameNotValidUtf8_FailsThatFileSayingUtf8AndProcessesTheOthers()
    {
        using var c = new HostileCase();
        c.Write("in/good.txt", "good");
        c.Sh("printf 'bytes' > \"in/$(printf 'bad\\377.txt')\"");
        Assert.Contains("in/bad\u00FF.txt", c.Sh("find in -type f"), StringComparison.Ordinal); // the raw byte 0xFF, read back as Latin-1

        var run = await c.RunAsync("run", "gzip", c.In, "-o", c.Out, "--json");

        c.AssertOutcome(run, 1, "UTF-8");
        var (path, error) = Assert.Single(run.Failed);
        Assert.StartsWith("bad", path, StringComparison.Ordinal);
        Assert.Contains("UTF-8", error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("not found", error, StringComparison.OrdinalIgnoreCase);
        Assert.True(File.Exists(Path.Join(c.Out, "good.txt.gz")));
    }

    /// <summary>
    /// Name lengths in bytes. gzip adds ".gz" (3 bytes), and NAME_MAX is 255, so 252 bytes is the longest name gzip can
    /// write an output for; a temporary file beside the target must not make a shorter name fail.
    /// </summary>
    [LinuxTheory]
    [InlineData("gzip", 227, false, true)]
    [InlineData("gzip", 250, false, true)]
    [InlineData("gzip", 252, false, true)]
    [InlineData("gzip", 252, true, true)]
    [InlineData("gzip", 253, false, false)]
    [InlineData("gzip", 254, false, false)]
    [InlineData("hash", 255, false, true)]
    [InlineData("hash", 255, true, true)]
    public async Task Run_LongFileName_SucceedsUpToTheLimitElseFailsSayingTooLong(string transform, int bytes, bool multibyte, bool succeeds)
    {
        using var c = new HostileCase();
        var name = multibyte ? string.Concat(Enumerable.Repeat("é", bytes / 2)) + (bytes % 2 == 1 ? "a" : string.Empty) : new string('n', bytes);
        Assert.Equal(bytes, Encoding.UTF8.GetByteCount(name));
        c.Write("in/" + name, "long name");
        c.Write("in/short.txt", "short");

        var run = await c.RunAsync("run", transform, c.In, "-o", c.Out, "--json");

        if (succeeds)
        {
            c.AssertOutcome(run, 0);
            Assert.True(transform == "gzip"
                ? File.Exists(Path.Join(c.Out, name + ".gz"))
                : File.ReadAllText(Path.Join(c.Out, "SHA256SUMS")).Contains("  " + name + "\n", StringComparison.Ordinal), "no output for the long name\n" + run);
        }
        else
        {
            c.AssertOutcome(run, 1);
            var error = run.FailureOf(name);
            Assert.True(error.Contains("name too long", StringComparison.OrdinalIgnoreCase) || error.Contains("path too long", StringComparison.OrdinalIgnoreCase), $"reason: {error}\n{run}");
            Assert.True(File.Exists(Path.Join(c.Out, "short.txt.gz")));
        }
    }

    [LinuxFact]
    public async Task Hash_PathLongerThanPathMax_NoCrashAndEitherHashedOrFailedAsTooLong()
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha");

        // 22 nested folders of 200 bytes: about 4,400 bytes of path, past PATH_MAX (4,096); made with relative mkdir/cd, as only that can.
        c.Sh("cd in; for i in $(seq 22); do d=$(printf 'd%.0s' $(seq 200)); mkdir $d; cd $d; done; printf deep > deep.txt");
        c.Watch(c.In, Path.Join(c.In, new string('d', 200))); // sha256sum itself cannot open a path that long

        var run = await c.RunAsync("run", "hash", c.In, "-o", c.Out, "--json");

        HostileCase.AssertExit(run, 0, 1);
        c.AssertUnharmed(run);
        Assert.Contains("  a.txt\n", File.ReadAllText(Path.Join(c.Out, "SHA256SUMS")), StringComparison.Ordinal);
        if (run.ExitCode == 1)
        {
            // The file, or the folder the walk could not enter: either way inside the deep tree, and saying why.
            var (path, error) = Assert.Single(run.Failed);
            Assert.StartsWith("ddd", path, StringComparison.Ordinal);
            Assert.True(error.Contains("too long", StringComparison.OrdinalIgnoreCase), $"reason: {error}\n{run}");
        }
    }
}
