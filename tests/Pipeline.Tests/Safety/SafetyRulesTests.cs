using System.Diagnostics;
using System.Security.Cryptography;
using Pipeline.Csv;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;
using Pipeline.Transforms;

namespace Pipeline.Tests.Safety;

/// <summary>
/// The safety rules of docs/safety.md, each run against both runners: folders compared as what they are,
/// nothing but regular files opened, loops walked once, no two results on one path, inputs never replaced.
/// </summary>
public sealed class SafetyRulesTests
{
    public static TheoryData<bool> Runners() => [false, true];

    private static async Task<RunSummary> RunAsync(bool sequential, IFileTransform transform, PipelineOptions options)
    {
        // A hang is a failure, not a stuck test run.
        var run = sequential
            ? SequentialRunner.RunAsync(transform, options)
            : DataflowRunner.RunAsync(transform, options);
        return await run.WaitAsync(TimeSpan.FromSeconds(60));
    }

    private static Dictionary<string, string> Checksums(string root) =>
        Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .Where(p => new FileInfo(p).LinkTarget is null)
            .ToDictionary(p => Path.GetRelativePath(root, p), p => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p))));

    private static string[] TempFiles(string root) =>
        Directory.GetFiles(root, "*.tmp", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint });

    [LinuxTheory]
    [MemberData(nameof(Runners))]
    public void Validate_OutputIsALinkToTheInput_RefusedBeforeAnythingIsTouched(bool sequential)
    {
        using var temp = new TempDir();
        temp.Write("in/sales.csv", "id,city\n1,Paris\n");
        Directory.CreateSymbolicLink(temp.Sub("link"), temp.Sub("in"));
        var before = Checksums(temp.Sub("in"));
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("link"));
        var transform = new CsvTransform(new CsvTransformOptions { Select = ["id"] });

        var error = Assert.Throws<PipelineOptionsException>(() =>
        {
            // Both refuse synchronously, before returning a task.
            if (sequential)
            {
                _ = SequentialRunner.RunAsync(transform, options);
            }
            else
            {
                _ = DataflowRunner.RunAsync(transform, options);
            }
        });

        Assert.Contains("output folder must differ from the input folder", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Checksums(temp.Sub("in")));
        Assert.False(Directory.Exists(temp.Sub("in/.pipeline")));
    }

    [LinuxFact]
    public void Validate_InputIsALinkToTheOutput_Refused()
    {
        using var temp = new TempDir();
        temp.Write("out/sales.csv", "id\n1\n");
        Directory.CreateSymbolicLink(temp.Sub("link"), temp.Sub("out"));

        var error = Assert.Throws<PipelineOptionsException>(() => new PipelineOptions(new FileSelection(temp.Sub("link")), temp.Sub("out")).Validate());

        Assert.Contains("output folder must differ from the input folder", error.Message, StringComparison.Ordinal);
    }

    [LinuxFact]
    public void Validate_OutputIsALinkToAnAncestorOfTheInput_Refused()
    {
        using var temp = new TempDir();
        temp.Write("data/in/a.txt", "a");
        Directory.CreateSymbolicLink(temp.Sub("up"), temp.Sub("data"));

        var error = Assert.Throws<PipelineOptionsException>(() => new PipelineOptions(new FileSelection(temp.Sub("data/in")), temp.Sub("up")).Validate());

        Assert.Contains("output folder must not contain the input folder", error.Message, StringComparison.Ordinal);
    }

    [LinuxFact]
    public void Validate_OutputInsideTheInputThroughALink_Allowed()
    {
        using var temp = new TempDir();
        temp.Write("d/text/a.txt", "a");
        Directory.CreateSymbolicLink(temp.Sub("lt"), temp.Sub("d/text"));

        new PipelineOptions(new FileSelection(temp.Sub("d")), temp.Sub("lt/out")).Validate();
    }

    [LinuxTheory]
    [MemberData(nameof(Runners))]
    public async Task Run_OutputInsideTheInputReachedThroughALink_IsNeverReadBackAsInput(bool sequential)
    {
        using var temp = new TempDir();
        temp.Write("d/text/a.txt", "a");
        temp.Write("d/b.txt", "b");
        Directory.CreateSymbolicLink(temp.Sub("lt"), temp.Sub("d/text"));
        var options = new PipelineOptions(new FileSelection(temp.Sub("d")), temp.Sub("lt/out"));

        var first = await RunAsync(sequential, new XorTransform(), options);
        var second = await RunAsync(sequential, new XorTransform(), options);

        Assert.Equal(["b.txt", "text/a.txt"], first.Results.Select(r => r.RelativePath));
        Assert.Equal(["b.txt", "text/a.txt"], second.Results.Select(r => r.RelativePath));
        Assert.Empty(Directory.GetFiles(temp.Sub("d"), "*.xor.xor", SearchOption.AllDirectories));
    }

    [LinuxTheory]
    [MemberData(nameof(Runners))]
    public async Task Run_FollowedLinkLeadsToTheOutputFolder_OutputIsNotWalked(bool sequential)
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        temp.Write("out/old.txt.xor", "from an earlier run");
        Directory.CreateSymbolicLink(temp.Sub("in/results"), temp.Sub("out"));
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")) { FollowSymlinks = true }, temp.Sub("out"));

        var summary = await RunAsync(sequential, new XorTransform(), options);

        Assert.Equal(["a.txt"], summary.Results.Select(r => r.RelativePath));
    }

    [LinuxTheory]
    [MemberData(nameof(Runners))]
    public async Task Run_OutputSubfolderIsALinkIntoTheInput_WriterRefusesAndNoInputChanges(bool sequential)
    {
        using var temp = new TempDir();
        temp.Write("in/sub/sales.csv", "id,city\n1,Paris\n");
        temp.Write("in/top.csv", "id,city\n2,Lyon\n");
        Directory.CreateDirectory(temp.Sub("out"));
        Directory.CreateSymbolicLink(temp.Sub("out/sub"), temp.Sub("in/sub"));
        var before = Checksums(temp.Sub("in"));
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out"));

        var summary = await RunAsync(sequential, new CsvTransform(new CsvTransformOptions { Select = ["id"] }), options);

        var refused = Assert.Single(summary.Results, r => r.Status == FileStatus.Failed);
        Assert.Equal("sub/sales.csv", refused.RelativePath);
        Assert.Contains("refusing to write into the input folder", refused.Error, StringComparison.Ordinal);
        Assert.Equal("id\n2\n", File.ReadAllText(temp.Sub("out/top.csv")).ReplaceLineEndings("\n"));
        Assert.Equal(before, Checksums(temp.Sub("in")));
        Assert.Empty(TempFiles(temp.Path));
    }

    [LinuxTheory]
    [MemberData(nameof(Runners))]
    public async Task Run_LinksToAFifoAndToDevZero_FailAsNotRegularFilesWithoutBlocking(bool sequential)
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        Directory.CreateDirectory(temp.Sub("special"));
        Assert.Equal(0, Process.Start("mkfifo", temp.Sub("special/fifo")).WaitForExitAndCode());
        File.CreateSymbolicLink(temp.Sub("in/fifo-link"), temp.Sub("special/fifo"));
        File.CreateSymbolicLink(temp.Sub("in/zero-link"), "/dev/zero");
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")) { FollowSymlinks = true }, temp.Sub("out"));

        var summary = await RunAsync(sequential, new XorTransform(), options);

        Assert.Equal(1, summary.FilesSucceeded);
        Assert.Equal("not a regular file (named pipe, behind a symbolic link)", summary.Results.Single(r => r.RelativePath == "fifo-link").Error);
        Assert.Equal("not a regular file (character device, behind a symbolic link)", summary.Results.Single(r => r.RelativePath == "zero-link").Error);
    }

    [LinuxTheory]
    [MemberData(nameof(Runners))]
    public async Task Run_TwoFoldersLinkedToEachOther_EachFileOnceAndTheLoopReportedOnce(bool sequential)
    {
        using var temp = new TempDir();
        temp.Write("in/x/one.txt", "1");
        temp.Write("in/y/two.txt", "2");
        Directory.CreateSymbolicLink(temp.Sub("in/x/a"), "../y");
        Directory.CreateSymbolicLink(temp.Sub("in/y/c"), "../x");
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")) { FollowSymlinks = true }, temp.Sub("out"));

        var summary = await RunAsync(sequential, new XorTransform(), options);

        // y is reached first through x/a (ordinal order), so its file is taken there, once.
        Assert.Equal(["x/a/two.txt", "x/one.txt"], summary.Results.Where(r => r.Status == FileStatus.Succeeded).Select(r => r.RelativePath));
        var loop = Assert.Single(summary.Results, r => r.Status == FileStatus.Failed);
        Assert.Equal("x/a/c/", loop.RelativePath);
        Assert.Contains("symbolic link loop", loop.Error, StringComparison.Ordinal);
    }

    [LinuxTheory]
    [MemberData(nameof(Runners))]
    public async Task Run_DanglingLinkFollowed_FailsAsABrokenLink(bool sequential)
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        File.CreateSymbolicLink(temp.Sub("in/gone"), temp.Sub("nowhere"));
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")) { FollowSymlinks = true }, temp.Sub("out"));

        var summary = await RunAsync(sequential, new XorTransform(), options);

        Assert.Equal("broken symbolic link (its target does not exist)", summary.Results.Single(r => r.RelativePath == "gone").Error);
    }

    [Theory]
    [MemberData(nameof(Runners))]
    public async Task Run_TwoInputsMapToOneOutput_TheLaterFailsNamingTheEarlier(bool sequential)
    {
        using var temp = new TempDir();
        temp.Write("in/data.csv", "id\n1\n");
        temp.Write("in/data.tsv", "id\n2\n");
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out"));

        var summary = await RunAsync(sequential, new CsvTransform(new CsvTransformOptions { To = CsvOutputFormat.Jsonl }), options);

        var later = summary.Results.Single(r => r.RelativePath == "data.tsv");
        Assert.Equal(FileStatus.Failed, later.Status);
        Assert.Equal("its output data.jsonl is already the output of data.csv; nothing was written for it", later.Error);
        Assert.Equal("{\"id\":\"1\"}\n", File.ReadAllText(temp.Sub("out/data.jsonl")));
    }

    [Theory]
    [MemberData(nameof(Runners))]
    public async Task Run_InputNamedLikeAnAggregateOutput_FailsInsteadOfBeingOverwritten(bool sequential)
    {
        using var temp = new TempDir();
        temp.Write("in/bad-rows.csv", "id\n1\n");
        temp.Write("in/other.csv", "id\n2\n3,4\n");
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out"));

        var summary = await RunAsync(sequential, new CsvTransform(new CsvTransformOptions()), options);

        var input = summary.Results.Single(r => r.RelativePath == "bad-rows.csv");
        Assert.Equal(FileStatus.Failed, input.Status);
        Assert.Contains("would replace the run's own bad-rows.csv", input.Error, StringComparison.Ordinal);
        Assert.StartsWith("file,line,reason,raw", File.ReadAllText(temp.Sub("out/bad-rows.csv")), StringComparison.Ordinal);
        Assert.Contains("other.csv,3,", File.ReadAllText(temp.Sub("out/bad-rows.csv")), StringComparison.Ordinal);
    }

    [LinuxTheory]
    [MemberData(nameof(Runners))]
    public async Task Run_MaxErrorsOverManyFailingFiles_StopsWithinTheFilesInFlight(bool sequential)
    {
        using var temp = new TempDir();
        Directory.CreateDirectory(temp.Sub("in"));
        for (var i = 0; i < 300; i++)
        {
            Assert.Equal(0, Process.Start("mkfifo", temp.Sub($"in/fifo{i:D3}")).WaitForExitAndCode());
        }

        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")) { MaxErrors = 5 };

        var summary = await RunAsync(sequential, new XorTransform(), options);

        Assert.True(summary.StoppedByErrorLimit);
        var inFlight = sequential ? 0 : options.IoConcurrency + options.MaxDegreeOfParallelism;
        Assert.InRange(summary.FilesFailed, 5, 5 + inFlight);
    }

    [LinuxTheory]
    [MemberData(nameof(Runners))]
    public async Task Run_NameNotValidUtf8_FailsSayingSo(bool sequential)
    {
        using var temp = new TempDir();
        temp.Write("in/good.txt", "g");
        // .NET cannot make such a name; bash can (0xFF is never valid UTF-8).
        Assert.Equal(0, Process.Start("bash", ["-c", "printf x > \"$1/bad\"$'\\xff'.txt", "_", temp.Sub("in")]).WaitForExitAndCode());
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out"));

        var summary = await RunAsync(sequential, new XorTransform(), options);

        Assert.Equal(1, summary.FilesSucceeded);
        var bad = Assert.Single(summary.Results, r => r.Status == FileStatus.Failed);
        Assert.Contains("not valid UTF-8", bad.Error, StringComparison.Ordinal);
    }

    [LinuxTheory]
    [MemberData(nameof(Runners))]
    public async Task Run_LongNames_SucceedUpToTheFileSystemsLimitAndFailClearlyBeyond(bool sequential)
    {
        using var temp = new TempDir();
        var fits = new string('a', 251); // + ".xor" = 255 bytes
        var tooLong = new string('b', 252); // + ".xor" = 256 bytes
        temp.Write("in/" + fits, "fits");
        temp.Write("in/" + tooLong, "too long");
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out"));

        var summary = await RunAsync(sequential, new XorTransform(), options);

        Assert.Equal(FileStatus.Succeeded, summary.Results.Single(r => r.RelativePath == fits).Status);
        Assert.True(File.Exists(temp.Sub("out/" + fits + ".xor")));
        Assert.Equal("output name too long: 256 bytes, and file systems allow 255 per name", summary.Results.Single(r => r.RelativePath == tooLong).Error);
        Assert.Empty(TempFiles(temp.Path));
    }

    [Fact]
    public void Enumerate_ExcludedFileInsideTheInput_IsNotTaken()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        var report = temp.Write("in/report.csv", "path,status\n");

        var files = GlobFileSource.Enumerate(new FileSelection(temp.Sub("in")) { ExcludedFiles = [report] }).Select(f => f.RelativePath);

        Assert.Equal(["a.txt"], files);
    }

    [LinuxTheory]
    [MemberData(nameof(Runners))]
    public async Task Run_FollowedLinksToAFileAndASubfolderOfTheOutputInsideTheInput_AreNotWalked(bool sequential)
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        temp.Write("in/out/sub/old.txt.xor", "an output of an earlier run");
        File.CreateSymbolicLink(temp.Sub("in/to-file"), temp.Sub("in/out/sub/old.txt.xor"));
        Directory.CreateSymbolicLink(temp.Sub("in/to-sub"), temp.Sub("in/out/sub"));
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")) { FollowSymlinks = true }, temp.Sub("in/out"));

        var summary = await RunAsync(sequential, new XorTransform(), options);

        Assert.Equal(["a.txt"], summary.Results.Select(r => r.RelativePath));
    }

    [LinuxTheory]
    [InlineData(false, "out")]
    [InlineData(true, "out")]
    [InlineData(false, "alias")] // the report named through a link to the output folder
    [InlineData(true, "alias")]
    public async Task Run_AnOutputWouldLandOnTheRunsOwnReportInsideTheOutputFolder_ThatFileFails(bool sequential, string reportFolder)
    {
        using var temp = new TempDir();
        temp.Write("in/report.csv", "id\n1\n");
        temp.Write("in/data.csv", "id\n2\n");
        Directory.CreateDirectory(temp.Sub("out"));
        Directory.CreateSymbolicLink(temp.Sub("alias"), temp.Sub("out"));
        var selection = new FileSelection(temp.Sub("in")) { ExcludedFiles = [temp.Sub(reportFolder + "/report.csv")] };
        var options = new PipelineOptions(selection, temp.Sub("out"));

        var summary = await RunAsync(sequential, new CsvTransform(new CsvTransformOptions()), options);

        var clash = summary.Results.Single(r => r.RelativePath == "report.csv");
        Assert.Equal(FileStatus.Failed, clash.Status);
        Assert.Contains("would replace the run's own report.csv (its report or log)", clash.Error, StringComparison.Ordinal);
        Assert.Equal(FileStatus.Succeeded, summary.Results.Single(r => r.RelativePath == "data.csv").Status);
    }
}
