using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Pipeline.Hashing;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Hashing;

public sealed class HashManifestTests
{
    [Fact]
    public async Task RunAsync_TestData_ManifestMatchesIndependentSha256()
    {
        using var temp = new TempDir();
        var options = new PipelineOptions(new FileSelection(Corpus.TestDataRoot), temp.Sub("out"));

        await DataflowRunner.RunAsync(new HashTransform(), options);

        // Computed here independently: every file, hashed whole, sorted by ordinal path.
        var expected = new StringBuilder();
        foreach (var (path, bytes) in Corpus.Snapshot(Corpus.TestDataRoot))
        {
            expected.Append(Convert.ToHexStringLower(SHA256.HashData(bytes))).Append("  ").Append(path).Append('\n');
        }

        Assert.Equal(expected.ToString(), await File.ReadAllTextAsync(temp.Sub("out/SHA256SUMS")));
    }

    [LinuxTheory]
    [InlineData(HashAlgorithmKind.Sha1, "SHA1SUMS", "sha1sum")]
    [InlineData(HashAlgorithmKind.Sha256, "SHA256SUMS", "sha256sum")]
    [InlineData(HashAlgorithmKind.Sha384, "SHA384SUMS", "sha384sum")]
    [InlineData(HashAlgorithmKind.Sha512, "SHA512SUMS", "sha512sum")]
    [InlineData(HashAlgorithmKind.Md5, "MD5SUMS", "md5sum")]
    public async Task RunAsync_NamesWithBackslashNewlineAndCarriageReturn_CoreutilsCheckPasses(HashAlgorithmKind algorithm, string manifest, string tool)
    {
        using var temp = new TempDir();
        temp.Write("in/plain.txt", "plain");
        temp.Write("in/back\\slash.txt", "backslash");
        temp.Write("in/new\nline.txt", "newline");
        temp.Write("in/carriage\rreturn.txt", "cr");
        temp.Write("in/sub dir/spaced name.txt", "spaces");
        temp.Write("in/ünïcödé/東京.txt", "unicode");
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out"));

        var summary = await DataflowRunner.RunAsync(new HashTransform(algorithm), options);

        Assert.Equal(6, summary.FilesSucceeded);
        var text = await File.ReadAllTextAsync(temp.Sub("out/" + manifest));
        Assert.Contains("\\", text, StringComparison.Ordinal);
        Assert.Contains("  back\\\\slash.txt\n", text, StringComparison.Ordinal);
        Assert.Contains("  new\\nline.txt\n", text, StringComparison.Ordinal);
        var (exitCode, output) = await RunAsync(tool, temp.Sub("in"), "-c", temp.Sub("out/" + manifest));
        Assert.True(exitCode == 0, output);
        Assert.Equal(6, output.Split('\n').Count(l => l.EndsWith(": OK", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RunAsync_CsvFormat_WritesPathSizeHashSorted()
    {
        using var temp = new TempDir();
        temp.Write("in/b.txt", "bb");
        temp.Write("in/a,comma.txt", "a");
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out"));

        await DataflowRunner.RunAsync(new HashTransform(HashAlgorithmKind.Sha256, HashManifestFormat.Csv), options);

        var expected = "path,size,hash\n"
            + $"\"a,comma.txt\",1,{Convert.ToHexStringLower(SHA256.HashData("a"u8))}\n"
            + $"b.txt,2,{Convert.ToHexStringLower(SHA256.HashData("bb"u8))}\n";
        Assert.Equal(expected, await File.ReadAllTextAsync(temp.Sub("out/hashes.csv")));
    }

    [Fact]
    public void EscapeForSums_PlainName_IsUnchanged()
    {
        Assert.Equal(("a b/c.txt", false), HashTransform.EscapeForSums("a b/c.txt"));
        Assert.Equal(("a\\\\b\\nc", true), HashTransform.EscapeForSums("a\\b\nc"));
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string tool, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
