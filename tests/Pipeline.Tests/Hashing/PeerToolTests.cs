using System.Text;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Hashing;

/// <summary>
/// <c>hash --algorithm blake3</c> and <c>xxh128</c> against the real <c>b3sum</c> and <c>xxh128sum</c>: the tools check
/// our manifests, write the same bytes for the same tree, and <c>pipeline verify</c> reads theirs.
/// </summary>
public sealed class PeerToolTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [NeedsDebianToolFact("b3sum", "b3sum")]
    public async Task HashBlake3_HostileNames_ManifestIsB3sumsBytesAndItsCheckPasses()
    {
        using var temp = HostileTree(lineFeed: true);
        var b3sum = await DebianTool.EnsureAsync("b3sum", "b3sum");

        var manifest = await HashAsync(temp, "blake3", "B3SUMS");

        Assert.Equal(await PeerManifestAsync(temp, b3sum), await File.ReadAllBytesAsync(manifest));
        var text = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(manifest));
        Assert.Contains("  back\\\\slash.txt\n", text, StringComparison.Ordinal); // escaped, with the line's leading backslash
        Assert.Contains("  carriage\rreturn.txt\n", text, StringComparison.Ordinal); // b3sum leaves a CR as it is
        var check = await ExternalCommand.RunAsync(b3sum, ["--check", manifest], temp.Sub("in"), Patience);
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Equal(HostileNames(lineFeed: true).Length, check.Out.Split('\n').Count(l => l.EndsWith(": OK", StringComparison.Ordinal)));
    }

    [NeedsDebianToolFact("xxh128sum", "xxhash")]
    public async Task HashXxh128_HostileNamesWithoutLineFeed_ManifestIsXxh128sumsBytesAndItsCheckPasses()
    {
        using var temp = HostileTree(lineFeed: false);
        var xxh128sum = await DebianTool.EnsureAsync("xxh128sum", "xxhash");

        var manifest = await HashAsync(temp, "xxh128", "XXH128SUMS");

        Assert.Equal(await PeerManifestAsync(temp, xxh128sum), await File.ReadAllBytesAsync(manifest));
        var check = await ExternalCommand.RunAsync(xxh128sum, ["-c", manifest], temp.Sub("in"), Patience);
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Equal(HostileNames(lineFeed: false).Length, check.Out.Split('\n').Count(l => l.EndsWith(": OK", StringComparison.Ordinal)));
    }

    [NeedsDebianToolFact("xxh128sum", "xxhash")]
    public async Task HashXxh128_NameWithLineFeed_IsEscapedAsLaterXxhsumsDoAndEveryOtherLineIsTheToolsOwn()
    {
        // xxh128sum 0.8.1 writes such a name across two lines that no check can read; 0.8.2 and later escape it.
        using var temp = HostileTree(lineFeed: false);
        temp.Write("in/new\nline\\x.txt", "newline");
        var xxh128sum = await DebianTool.EnsureAsync("xxh128sum", "xxhash");

        var manifest = await HashAsync(temp, "xxh128", "XXH128SUMS");

        var expected = Convert.ToHexStringLower(System.IO.Hashing.XxHash128.Hash("newline"u8));
        var lines = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(manifest)).TrimEnd('\n').Split('\n');
        Assert.Contains($"\\{expected}  new\\nline\\\\x.txt", lines);
        var check = await ExternalCommand.RunAsync(xxh128sum, ["-c", manifest], temp.Sub("in"), Patience);
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Equal(HostileNames(lineFeed: false).Length, check.Out.Split('\n').Count(l => l.EndsWith(": OK", StringComparison.Ordinal)));
        var verify = await CliRun.InvokeAsync("verify", manifest, "--root", temp.Sub("in"), "--strict", "-q");
        Assert.True(verify.ExitCode == 0, verify.Out + verify.Error);
    }

    [NeedsDebianToolFact("b3sum", "b3sum")]
    public async Task Verify_B3sumsOwnManifest_PassesThenReportsFailedForAChangedFile() =>
        await AssertVerifiesPeerManifestAsync(await DebianTool.EnsureAsync("b3sum", "b3sum"), "B3SUMS", lineFeed: true);

    [NeedsDebianToolFact("xxh128sum", "xxhash")]
    public async Task Verify_Xxh128sumsOwnManifest_PassesThenReportsFailedForAChangedFile() =>
        await AssertVerifiesPeerManifestAsync(await DebianTool.EnsureAsync("xxh128sum", "xxhash"), "XXH128SUMS", lineFeed: false);

    [Theory]
    [InlineData("blake3", "B3SUMS", "SHA256", "BLAKE3")]
    [InlineData("xxh128", "XXH128SUMS", "MD5", "XXH128")]
    public async Task Verify_LookAlikeDigestsUnderANameThatSaysNothing_FailsSayingWhichAlgorithmToPassAndPassesWithIt(string algorithm, string manifestName, string guessed, string actual)
    {
        using var temp = HostileTree(lineFeed: false);
        var written = await HashAsync(temp, algorithm, manifestName);
        var manifest = temp.Sub("checksums.txt");
        File.Move(written, manifest);

        var guess = await CliRun.InvokeAsync("verify", manifest, "--root", temp.Sub("in"), "-q");
        var told = await CliRun.InvokeAsync("verify", manifest, "--root", temp.Sub("in"), "-q", "--algorithm", algorithm);

        Assert.Equal(1, guess.ExitCode);
        Assert.Contains($"taken as {guessed}", guess.Error, StringComparison.Ordinal);
        Assert.Contains($"{actual} digests are as long: if it holds those, pass --algorithm {algorithm} (or name it {manifestName})", guess.Error, StringComparison.Ordinal);
        Assert.Equal((0, string.Empty, string.Empty), (told.ExitCode, told.Out, told.Error));
    }

    [Fact]
    public async Task Verify_B3sumsNameWithoutBlake3Digests_ExitsTwoSayingTheNameAsksForThem()
    {
        using var temp = HostileTree(lineFeed: false);
        File.Move(await HashAsync(temp, "md5", "MD5SUMS"), temp.Sub("B3SUMS"));

        var (exit, _, stderr) = await CliRun.InvokeAsync("verify", temp.Sub("B3SUMS"), "--root", temp.Sub("in"));

        Assert.Equal(2, exit);
        Assert.Contains("no properly formatted BLAKE3 checksum lines found (64 hex digits, as its name says)", stderr, StringComparison.Ordinal);
    }

    private static string[] HostileNames(bool lineFeed) =>
    [
        "plain.txt", "sp ace.txt", "back\\slash.txt", "carriage\rreturn.txt", "tab\tname.txt", "sub dir/nested.txt", "ünïcödé/東京.txt",
        .. lineFeed ? (string[])["new\nline.txt", "both\\and\nfeed.txt"] : [],
    ];

    private static TempDir HostileTree(bool lineFeed)
    {
        var temp = new TempDir();
        foreach (var name in HostileNames(lineFeed))
        {
            temp.Write("in/" + name, "content of " + name);
        }

        return temp;
    }

    private static async Task<string> HashAsync(TempDir temp, string algorithm, string manifestName)
    {
        var (exit, _, stderr) = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "--algorithm", algorithm, "-q");
        Assert.True(exit == 0, stderr);
        return temp.Sub("out/" + manifestName);
    }

    /// <summary>What the tool writes for every file of the tree, given in byte order of the path as our manifest has them.</summary>
    private static async Task<byte[]> PeerManifestAsync(TempDir temp, string tool)
    {
        var names = Directory.EnumerateFiles(temp.Sub("in"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(temp.Sub("in"), f))
            .OrderBy(f => Encoding.UTF8.GetBytes(f), Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)))
            .ToList();
        var output = temp.Sub("peer.sums");
        var run = await ExternalCommand.RunAsync("/bin/sh", ["-c", "out=$1; tool=$2; shift 2; exec \"$tool\" -- \"$@\" > \"$out\"", "sh", output, tool, .. names], temp.Sub("in"), Patience);
        Assert.True(run.ExitCode == 0, run.ToString());
        return await File.ReadAllBytesAsync(output);
    }

    private static async Task AssertVerifiesPeerManifestAsync(string tool, string manifestName, bool lineFeed)
    {
        using var temp = HostileTree(lineFeed);
        var manifest = temp.Sub(manifestName);
        await File.WriteAllBytesAsync(manifest, await PeerManifestAsync(temp, tool));

        var unchanged = await CliRun.InvokeAsync("verify", manifest, "--root", temp.Sub("in"), "-q");
        temp.Write("in/back\\slash.txt", "changed");
        var changed = await CliRun.InvokeAsync("verify", manifest, "--root", temp.Sub("in"), "-q");

        Assert.Equal((0, string.Empty, string.Empty), (unchanged.ExitCode, unchanged.Out, unchanged.Error));
        Assert.Equal(1, changed.ExitCode);
        Assert.Equal("\\FAILED  back\\\\slash.txt\n", changed.Out);
    }
}
