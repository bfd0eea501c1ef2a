using System.IO.Compression;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Hostile;

/// <summary>K. Odd but legal trees and arguments a real user will eventually hand the tool.</summary>
public sealed class OtherHostileTests
{
    [LinuxFact]
    public async Task Gzip_NamesThatLookLikeOptions_AreProcessedAsFiles()
    {
        using var c = new HostileCase();
        c.Write("in/-rf", "dash");
        c.Write("in/--help", "double dash");

        var run = await c.RunAsync("run", "gzip", c.In, "-o", c.Out);

        c.AssertOutcome(run, 0);
        Assert.Equal("dash", NameCollisionTests.Gunzip(Path.Join(c.Out, "-rf.gz")));
        Assert.Equal("double dash", NameCollisionTests.Gunzip(Path.Join(c.Out, "--help.gz")));
    }

    private static readonly string[] OddNames = ["with space.txt", "new\nline.txt", "back\\slash.txt", "tab\there.txt", "cr\rhere.txt", " leading-space", "trailing-space "];

    [LinuxFact]
    public async Task Gzip_NamesWithSpacesNewlinesBackslashes_EachHasItsOutput()
    {
        using var c = new HostileCase();
        foreach (var name in OddNames)
        {
            c.Write("in/" + name, "content of " + name);
        }

        var run = await c.RunAsync("run", "gzip", c.In, "-o", c.Out);

        c.AssertOutcome(run, 0);
        foreach (var name in OddNames)
        {
            Assert.Equal("content of " + name, NameCollisionTests.Gunzip(Path.Join(c.Out, name + ".gz")));
        }
    }

    [LinuxFact]
    public async Task Hash_NamesWithSpacesNewlinesBackslashes_ManifestPassesSha256sumCheck()
    {
        using var c = new HostileCase();
        foreach (var name in OddNames)
        {
            c.Write("in/" + name, "content of " + name);
        }

        var run = await c.RunAsync("run", "hash", c.In, "-o", c.Out);

        c.AssertOutcome(run, 0);
        var check = c.Sh("cd in && sha256sum --check --strict -- \"$1\" | grep -c ': OK$'", Path.Join(c.Out, "SHA256SUMS"));
        Assert.Equal(OddNames.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), check.Trim());
    }

    [LinuxTheory]
    [InlineData("hash")]
    [InlineData("gzip")]
    [InlineData("csv")]
    [InlineData("gunzip")]
    public async Task Run_EmptyInputFolder_ExitsZero(string transform)
    {
        using var c = new HostileCase();

        var run = await c.RunAsync("run", transform, c.In, "-o", c.Out);

        c.AssertOutcome(run, 0);
    }

    [LinuxFact]
    public async Task Gzip_ZeroByteFiles_ValidEmptyGzipOutputs()
    {
        using var c = new HostileCase();
        c.Write("in/empty1", []);
        c.Write("in/sub/empty2", []);

        var run = await c.RunAsync("run", "gzip", c.In, "-o", c.Out);

        c.AssertOutcome(run, 0);
        foreach (var name in (string[])["empty1.gz", "sub/empty2.gz"])
        {
            Assert.True(c.GzipTestPasses(Path.Join(c.Out, name)), name);
            Assert.Equal(string.Empty, NameCollisionTests.Gunzip(Path.Join(c.Out, name)));
        }
    }

    [LinuxFact]
    public async Task Hash_ZeroByteFiles_ListedWithTheEmptyDigest()
    {
        using var c = new HostileCase();
        c.Write("in/empty1", []);
        c.Write("in/sub/empty2", []);

        var run = await c.RunAsync("run", "hash", c.In, "-o", c.Out);

        c.AssertOutcome(run, 0);
        const string empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        Assert.Equal([$"{empty}  empty1", $"{empty}  sub/empty2"], File.ReadAllLines(Path.Join(c.Out, "SHA256SUMS")));
    }

    [LinuxFact]
    public async Task Gzip_APipelineFolderInTheInput_IsNeverRead()
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha");
        c.Write("in/.pipeline/journal", "not a journal at all\n");
        c.Write("in/.pipeline/x.txt", "state, not data");

        var run = await c.RunAsync("run", "gzip", c.In, "-o", c.Out);

        c.AssertOutcome(run, 0);
        Assert.Equal(["a.txt.gz"], HostileCase.FilesUnder(c.Out).Where(f => !f.StartsWith(".pipeline/", StringComparison.Ordinal)));
        Assert.DoesNotContain(HostileCase.FilesUnder(c.Out), f => f.Contains("x.txt", StringComparison.Ordinal));
    }

    [LinuxFact]
    public async Task Gzip_InputNamedLikeOurTemporaryFilesWithOutputInside_IsProcessedNotSwept()
    {
        using var c = new HostileCase();
        c.Write("in/keep.0123456789ab.pipeline.tmp", "an input, whatever its name");
        c.Write("in/a.txt", "alpha");
        var output = c.Sub("in/out");
        c.Watch(c.In, output);

        var run = await c.RunAsync("run", "gzip", c.In, "-o", output);

        c.AssertOutcome(run, 0);
        Assert.Equal("an input, whatever its name", NameCollisionTests.Gunzip(Path.Join(output, "keep.0123456789ab.pipeline.tmp.gz")));
    }

    [LinuxTheory]
    [InlineData("--report")]
    [InlineData("--log")]
    public async Task Run_ReportOrLogPointingAtAnInputFile_RefusedInputUnchanged(string option)
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha");
        c.Write("in/b.txt", "beta");

        var run = await c.RunAsync("run", "gzip", c.In, "-o", c.Out, option, Path.Join(c.In, "a.txt"));

        c.AssertOutcome(run, 2, option);
        Assert.False(Directory.Exists(c.Out), "refused, yet the output folder was created");
    }

    /// <summary>Stripping ".gz" from ".gz" leaves no name, and from "sub/.gz" leaves the folder "sub": the tool may pick another name or fail the file, but never write over a folder or lose a file silently.</summary>
    [LinuxFact]
    public async Task Gunzip_FileNamedJustDotGz_NeitherReplacesAFolderNorIsLost()
    {
        using var c = new HostileCase();
        c.Write("in/.gz", NameCollisionTests.GzipBytes("root dot gz"));
        c.Write("in/sub/.gz", NameCollisionTests.GzipBytes("sub dot gz"));
        c.Write("in/sub/b.gz", NameCollisionTests.GzipBytes("beta"));

        var run = await c.RunAsync("run", "gunzip", c.In, "-o", c.Out, "--json");

        HostileCase.AssertExit(run, 0, 1);
        c.AssertUnharmed(run);
        Assert.True(Directory.Exists(c.Out) && Directory.Exists(Path.Join(c.Out, "sub")), "the output folder or out/sub is no longer a folder");
        Assert.Equal("beta", File.ReadAllText(Path.Join(c.Out, "sub/b")));
        var written = HostileCase.FilesUnder(c.Out).Where(f => !f.StartsWith(".pipeline/", StringComparison.Ordinal)).Select(f => File.ReadAllText(Path.Join(c.Out, f))).ToList();
        var failed = run.Failed.Select(f => f.Path).ToList();
        Assert.True(failed.Contains(".gz") || written.Count(w => w == "root dot gz") == 1, "in/.gz neither failed nor has its output\n" + run);
        Assert.True(failed.Contains("sub/.gz") || written.Count(w => w == "sub dot gz") == 1, "in/sub/.gz neither failed nor has its output\n" + run);
    }

    [LinuxFact]
    public async Task Csv_OutputPathIsAHardLinkToTheInput_InputNeverWrittenThrough()
    {
        using var c = new HostileCase();
        c.Write("in/data.csv", "id,amount\n1,5\n2,700\n");
        c.Mkdir("out");
        c.Sh("ln in/data.csv out/data.csv");

        var run = await c.RunAsync("run", "csv", c.In, "-o", c.Out, "--where", "amount>500");

        c.AssertOutcome(run, 0);
        Assert.Equal(["id,amount", "2,700"], File.ReadAllLines(Path.Join(c.Out, "data.csv")));
    }

    [LinuxFact]
    public async Task Gzip_OutputPathIsASymlinkToTheInput_InputNeverWrittenThrough()
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha");
        c.Mkdir("out");
        c.Symlink("out/a.txt.gz", Path.Join(c.In, "a.txt"));

        var run = await c.RunAsync("run", "gzip", c.In, "-o", c.Out);

        c.AssertOutcome(run, 0);
        Assert.Equal("alpha", NameCollisionTests.Gunzip(Path.Join(c.Out, "a.txt.gz")));
    }

    [LinuxFact]
    public async Task Gunzip_SmallBombOf16MiBZeros_StreamsThroughAndSucceeds()
    {
        using var c = new HostileCase();
        using (var buffer = new MemoryStream())
        {
            using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize))
            {
                var zeros = new byte[1 << 20];
                for (var i = 0; i < 16; i++)
                {
                    gzip.Write(zeros);
                }
            }

            c.Write("in/bomb.gz", buffer.ToArray());
        }

        var run = await c.RunAsync("run", "gunzip", c.In, "-o", c.Out, "--memory-budget", "8", "--chunk-size", "65536");

        c.AssertOutcome(run, 0);
        Assert.Equal(16L << 20, new FileInfo(Path.Join(c.Out, "bomb")).Length);
    }
}
