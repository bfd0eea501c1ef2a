using System.Text;
using Pipeline.Exec;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Cli;

/// <summary><c>exec --concat NAME</c>: every file's standard output joined in path order, whatever order the commands finish in.</summary>
public sealed class ExecConcatTests
{
    // Each command sleeps longer the earlier its file comes in path order: they finish in reverse.
    private static readonly string[] Delays = ["0.8", "0.6", "0.4", "0.2", "0"];

    [LinuxTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Concat_CommandsFinishInReverse_OutputIsInPathOrder(bool sequential)
    {
        using var temp = Tree();

        var (exit, _, error) = await CliRun.InvokeAsync(Args(temp, sequential, "--concat", "all.txt", "--shell", "sleep $(cat {}); echo {rel}; echo second"));

        Assert.True(exit == 0, error);
        Assert.Equal(Expected(name => $"{name}\nsecond\n"), File.ReadAllText(temp.Sub("out/all.txt")));
        Assert.Empty(Directory.GetFiles(temp.Sub("out"), "*.pipeline.tmp", SearchOption.AllDirectories));
    }

    [LinuxFact]
    public async Task Concat_Tag_EachLineStartsWithItsFileAndEndsWithANewline()
    {
        using var temp = Tree();

        var (exit, _, error) = await CliRun.InvokeAsync(Args(temp, false, "--concat", "logs/all.txt", "--tag", "--shell", "sleep $(cat {}); echo one; printf 'no newline'"));

        Assert.True(exit == 0, error);
        Assert.Equal(Expected(name => $"{name}\tone\n{name}\tno newline\n"), File.ReadAllText(temp.Sub("out/logs/all.txt")));
    }

    [LinuxFact]
    public async Task Concat_AFileFails_ItsOutputIsLeftOutAndResumeRedoesItAloneAndJoinsAll()
    {
        using var temp = Tree();
        var marker = temp.Write("fail-c", "while this exists, c.txt fails");
        string[] args = [.. Args(temp, false, "--concat", "all.txt", "--json", "--shell", $"sleep $(cat {{}}); echo {{rel}}; [ -e {marker} ] && [ {{/}} = c.txt ] && exit 4; true")];

        var (exit, _, error) = await CliRun.InvokeAsync(args);

        Assert.Equal(1, exit);
        Assert.Contains("c.txt: command failed: exit 4", error, StringComparison.Ordinal);
        Assert.Equal(Expected(name => name == "c.txt" ? string.Empty : name + "\n"), File.ReadAllText(temp.Sub("out/all.txt")));

        // The parts of the files done stay for a resume, which skips them, redoes c.txt, and joins them all again.
        File.Delete(marker);
        var (again, json, againError) = await CliRun.InvokeAsync([.. args, "--resume"]);

        Assert.True(again == 0, againError);
        Assert.Contains("\"files_skipped\":4", json, StringComparison.Ordinal);
        Assert.Equal(Expected(name => name + "\n"), File.ReadAllText(temp.Sub("out/all.txt")));
    }

    [Fact]
    public async Task Concat_WithOutputNameOrOutsideTheOutput_ExitsTwoAndCreatesNothing()
    {
        using var temp = Tree();

        var (withName, _, nameError) = await CliRun.InvokeAsync(Args(temp, false, "--concat", "all.txt", "--output-name", "{rel}.x", "--", "cat"));
        var (outside, _, outsideError) = await CliRun.InvokeAsync(Args(temp, false, "--concat", "../all.txt", "--", "cat"));

        Assert.Equal((2, 2), (withName, outside));
        Assert.Contains("--concat", nameError, StringComparison.Ordinal);
        Assert.Contains("--concat: '../all.txt' is not a path inside the output folder", outsideError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Sub("out")));
    }

    [Theory]
    [InlineData(".pipeline/{rel}")]
    [InlineData(".pipeline/concat/{rel}")]
    public async Task OutputName_InTheToolsOwnFolder_ExitsTwoAndCreatesNothing(string template)
    {
        using var temp = Tree();

        var (exit, _, error) = await CliRun.InvokeAsync(Args(temp, false, "--output-name", template, "--", "cat"));

        Assert.Equal(2, exit);
        Assert.Equal($"error: the output name '{template}' is not a path inside the output folder: .pipeline is the tool's own\n", error);
        Assert.False(Directory.Exists(temp.Sub("out")));
    }

    [Theory]
    [InlineData("../escaped/{rel}")]
    [InlineData("/tmp/{rel}")]
    [InlineData("a/./{rel}")]
    public async Task OutputName_NotInsideTheOutputFolder_ExitsTwoWithOneLineAndCreatesNothing(string template)
    {
        using var temp = Tree();

        var (exit, _, error) = await CliRun.InvokeAsync(Args(temp, false, "--output-name", template, "--", "cat"));

        Assert.Equal(2, exit);
        Assert.Equal($"error: the output name '{template}' is not a path inside the output folder\n", error);
        Assert.False(Directory.Exists(temp.Sub("out")));
        Assert.False(Directory.Exists(temp.Sub("escaped")));
    }

    [LinuxFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Concat_EveryFileFails_TheEmptyJoinedOutputIsTheOwnersAlone()
    {
        using var temp = Tree();

        var (exit, _, _) = await CliRun.InvokeAsync(Args(temp, false, "--concat", "all.txt", "--", "false"));

        // As a manifest of no file is: no part says who else may read it, so no one else may.
        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, File.ReadAllText(temp.Sub("out/all.txt")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(temp.Sub("out/all.txt")));
    }

    [LinuxFact]
    public async Task Concat_AKeptPartSwappedForALinkBeforeAResume_IsNotJoinedAndTheRunSaysWhich()
    {
        using var temp = Tree();
        var secret = temp.Write("secret", "the secret");
        string[] args = [.. Args(temp, false, "--concat", "all.txt")];
        Assert.Equal(0, (await CliRun.InvokeAsync([.. args, "--", "cat"])).ExitCode);
        var part = temp.Sub("out/.pipeline/concat/a.txt");
        File.Delete(part);
        File.CreateSymbolicLink(part, secret);

        var (exit, _, error) = await CliRun.InvokeAsync([.. args, "--resume", "--", "cat"]);

        Assert.Equal(1, exit);
        Assert.Equal($"error: {part}: not joined into all.txt: a link or a special file stands where the command's output was kept\n", error);
        Assert.DoesNotContain("the secret", File.ReadAllText(temp.Sub("out/all.txt")), StringComparison.Ordinal);
    }

    private static TempDir Tree()
    {
        var temp = new TempDir();
        for (var i = 0; i < Delays.Length; i++)
        {
            temp.Write($"in/{(char)('a' + i)}.txt", Delays[i]);
        }

        return temp;
    }

    private static string Expected(Func<string, string> partOf) =>
        string.Concat(Enumerable.Range(0, Delays.Length).Select(i => partOf($"{(char)('a' + i)}.txt")));

    private static string[] Args(TempDir temp, bool sequential, params string[] rest) =>
        ["run", "exec", temp.Sub("in"), "-o", temp.Sub("out"), "-p", "5", "-q", .. sequential ? (string[])["--sequential"] : [], .. rest];
}
