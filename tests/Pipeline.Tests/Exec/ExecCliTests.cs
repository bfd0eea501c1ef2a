using System.Text;
using Pipeline.Tests.Hostile;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Exec;

/// <summary>
/// <c>pipeline run exec</c> and <c>compare exec</c> as a user runs them: the real binary, real commands. A failing
/// command leaves nothing and says why; a command that cannot run stops the run before anything; <c>--resume</c> knows
/// the command; <c>--dry-run</c> shows what would run; many files at once all come out right.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ExecCliTests
{
    [LinuxTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunExec_OutWrittenPartlyThenAFailingExit_LeavesNoOutputAndSaysTheExitAndLastStderrLine(bool sequential)
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha\n");
        c.Write("in/b.txt", "beta\n");

        // b.txt: half its output written, then a complaint on stderr and exit 3.
        var run = await c.RunAsync(ExecRun.Args(c, sequential, "--json", "--", "sh", "-c",
            "cat \"$1\" > \"$0\"; case \"$1\" in *b.txt) echo 'partial line' >> \"$0\"; echo 'warming up' >&2; echo 'b is broken' >&2; exit 3;; esac", "{out}", "{}"));

        c.AssertOutcome(run, 1);
        Assert.Equal(1, run.Count("files_ok"));
        run.AssertFailed("b.txt", "command failed: exit 3");
        Assert.EndsWith("b is broken", run.FailureOf("b.txt"), StringComparison.Ordinal);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("error: b.txt: command failed: exit 3", line, StringComparison.Ordinal);
        Assert.EndsWith("b is broken", line, StringComparison.Ordinal);
        ExecRun.AssertOutputs(new Dictionary<string, byte[]> { ["a.txt"] = "alpha\n"u8.ToArray() }, c.Out, run);
    }

    [LinuxTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunExec_CommandRenamesANewFileOverOut_OutputStillGetsTheInputsPermissionBits(bool sequential)
    {
        using var c = new HostileCase();
        var secret = c.Write("in/secret.txt", "only for me\n");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var shared = c.Write("in/shared.txt", "for the group\n");
        File.SetUnixFileMode(shared, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        // As sed -i, mv and every atomic writer do: a new file (0644 under the usual umask) renamed over {out}.
        var run = await c.RunAsync(ExecRun.Args(c, sequential, "--", "sh", "-c", "tr a-z A-Z < \"$1\" > \"$0.new\" && mv \"$0.new\" \"$0\"", "{out}", "{}"));

        c.AssertOutcome(run, 0);
        ExecRun.AssertOutputs(new Dictionary<string, byte[]> { ["secret.txt"] = "ONLY FOR ME\n"u8.ToArray(), ["shared.txt"] = "FOR THE GROUP\n"u8.ToArray() }, c.Out, run);
        Assert.Equal(File.GetUnixFileMode(secret), File.GetUnixFileMode(Path.Join(c.Out, "secret.txt")));
        Assert.Equal(File.GetUnixFileMode(shared), File.GetUnixFileMode(Path.Join(c.Out, "shared.txt")));
    }

    [LinuxTheory]
    [InlineData("ln -sf \"$1\" \"$0\"", false, "symbolic link")]
    [InlineData("ln -sf \"$1\" \"$0\"", true, "symbolic link")]
    [InlineData("rm \"$0\"", false, "removed or moved")]
    [InlineData("rm \"$0\"", true, "removed or moved")]
    [InlineData("rm \"$0\" && mkfifo \"$0\"", false, "not a regular file")]
    public async Task RunExec_CommandLeavesNoRegularFileAtOut_FileFailsSayingWhatItLeftAndNothingIsWritten(string script, bool sequential, string reason)
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha\n");

        var run = await c.RunAsync(ExecRun.Args(c, sequential, "--json", "--", "sh", "-c", script, "{out}", "{}"));

        c.AssertOutcome(run, 1, reason);
        run.AssertFailed("a.txt", reason);
        ExecRun.AssertOutputs(new Dictionary<string, byte[]>(), c.Out, run);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(c.Out), e => Path.GetFileName(e) != ".pipeline"); // no link, no pipe
    }

    [LinuxTheory]
    [InlineData("no-such-command-xyz", "no-such-command-xyz")]
    [InlineData("not-executable", "not-executable.sh")]
    [InlineData("folder", "a-folder")]
    [InlineData("missing-interpreter", "/nonexistent/interpreter, which does not exist")]
    [InlineData("not-a-program", "neither a program the system can start")]
    [InlineData("named-pipe", "it is a named pipe, not a program")]
    public async Task RunExec_CommandThatCannotRun_ExitsTwoWithOneLineNamingItAndCreatesNothing(string kind, string named)
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha");
        var program = kind switch
        {
            "not-executable" => c.Write("not-executable.sh", "#!/bin/sh\necho ran > ran.txt\n"), // mode 0644: a script, not a program
            "folder" => c.Mkdir("a-folder"),
            "missing-interpreter" => Executable(c.Write("bad-shebang.sh", "#!/nonexistent/interpreter -x\necho ran > ran.txt\n")),
            "not-a-program" => Executable(c.Write("garbage", [0x00, 0x01, 0x02, 0x03, 0xFF, 0xFE])),
            "named-pipe" => Executable(Fifo(c.Sub("a-pipe"))), // reading its head would wait for a writer forever
            _ => "no-such-command-xyz",
        };

        var run = await c.RunAsync("run", "exec", c.In, "-o", c.Out, "--", program, "{}");

        c.AssertOutcome(run, 2);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.False(Path.Exists(c.Out), $"the output folder was created\n{run}");
        Assert.False(File.Exists(c.Sub("ran.txt")), "the script ran");
    }

    [LinuxTheory]
    [InlineData("grep", "-i", "b")]
    [InlineData("sort", "-p", "3")]
    public async Task RunExec_CommandWithoutTheDoubleDash_ExitsTwoSayingToPutItAfterDoubleDash(params string[] command)
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha");

        // Without --, the command's own options would be read as the tool's (-i as --include, -p as --parallelism).
        var run = await c.RunAsync(["run", "exec", c.In, "-o", c.Out, .. command]);

        c.AssertOutcome(run, 2);
        Assert.StartsWith("error: put the command after --", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.False(Path.Exists(c.Out));
    }

    [LinuxTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunExec_Resume_SameCommandSkipsEveryFileAnotherCommandRedoesEveryFile(bool sequential)
    {
        using var c = new HostileCase();
        string[] names = ["a.txt", "sub/b.txt", "sub/deeper/c.txt"];
        foreach (var name in names)
        {
            c.Write("in/" + name, "zebra " + name + "\n");
        }

        var first = await c.RunAsync(ExecRun.Args(c, sequential, "--json", "--", "tr", "a-z", "A-Z"));
        c.AssertOutcome(first, 0);
        Assert.Equal(3, first.Count("files_ok"));
        var upper = names.ToDictionary(n => n, n => Encoding.ASCII.GetBytes(("zebra " + n + "\n").ToUpperInvariant()));
        ExecRun.AssertOutputs(upper, c.Out, first);

        var same = await c.RunAsync(ExecRun.Args(c, sequential, "--json", "--resume", "--", "tr", "a-z", "A-Z"));
        c.AssertOutcome(same, 0);
        Assert.Equal((0L, 3L), (same.Count("files_ok"), same.Count("files_skipped")));
        ExecRun.AssertOutputs(upper, c.Out, same);

        // Each letter one on (z to a): another command, so every output is another output.
        var other = await c.RunAsync(ExecRun.Args(c, sequential, "--json", "--resume", "--", "tr", "a-z", "b-za"));
        c.AssertOutcome(other, 0);
        Assert.Equal((3L, 0L), (other.Count("files_ok"), other.Count("files_skipped")));
        ExecRun.AssertOutputs(names.ToDictionary(n => n, n => Encoding.ASCII.GetBytes(Shift("zebra " + n + "\n"))), c.Out, other);
    }

    [LinuxTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunExec_DryRun_PrintsEachFilesCommandLineThatRunsAsShownAndCreatesNothing(bool shell)
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha\n");
        c.Write("in/sub/it's $(x).txt", "quoted\n");

        var run = await c.RunAsync(["run", "exec", c.In, "-o", c.Out, "--dry-run", .. shell ? (string[])["--shell", "tr a-z A-Z < {}"] : ["--", "cat", "{}"]]);

        c.AssertOutcome(run, 0);
        Assert.False(Path.Exists(c.Out), $"a dry run created the output folder\n{run}");
        var shown = run.Stdout.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("$ ", StringComparison.Ordinal)).Select(l => l[2..]).ToList();
        Assert.True(shown.Count == 2, $"expected a command line for each of the 2 files\n{run}");

        // Each line shown, given to a shell, is that file's command: it prints that file's content (upper-cased with --shell).
        Assert.Equal(
            shell ? ["ALPHA\n", "QUOTED\n"] : ["alpha\n", "quoted\n"],
            shown.Select(l => c.Sh(l)));
        c.AssertWatchedUnchanged(run);
    }

    [LinuxTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunExec_TwoHundredFilesFourAtOnce_EveryOutputIsItsOwnInputUpperCased(bool sequential)
    {
        using var c = new HostileCase();
        var expected = WriteManyFiles(c, 200);

        var run = await c.RunAsync(new ChildSettings(Timeout: TimeSpan.FromSeconds(60)), ExecRun.Args(c, sequential, "--json", "-p", "4", "--", "tr", "a-z", "A-Z"));

        c.AssertOutcome(run, 0);
        Assert.Equal(200, run.Count("files_ok"));
        ExecRun.AssertOutputs(expected, c.Out, run);
    }

    [LinuxFact]
    public async Task CompareExec_OneRound_BothRunnersGiveIdenticalOutputsAndExitZero()
    {
        using var c = new HostileCase();
        WriteManyFiles(c, 200);

        var run = await c.RunAsync(new ChildSettings(Timeout: TimeSpan.FromSeconds(60)), "compare", "exec", c.In, "-p", "4", "--rounds", "1", "--json", "--", "tr", "a-z", "A-Z");

        c.AssertOutcome(run, 0);
        Assert.True(run.Summary.GetProperty("identical").GetBoolean(), $"compare found the runners' outputs differ\n{run}");
        Assert.Equal((200L, 0L), (run.Count("files"), run.Count("files_failed")));
    }

    /// <summary>Writes <paramref name="count"/> small files, each with its own content, in ten folders; returns each one's upper-cased content by relative path.</summary>
    private static Dictionary<string, byte[]> WriteManyFiles(HostileCase c, int count)
    {
        var expected = new Dictionary<string, byte[]>();
        for (var i = 0; i < count; i++)
        {
            var relative = $"d{i % 10}/file {i:000}.txt";
            var content = $"file number {i}\n" + new string((char)('a' + (i % 26)), i % 50) + "\n";
            c.Write("in/" + relative, content);
            expected[relative] = Encoding.ASCII.GetBytes(content.ToUpperInvariant());
        }

        return expected;
    }

    private static string Shift(string text) => string.Concat(text.Select(ch => ch is >= 'a' and <= 'z' ? (char)('a' + ((ch - 'a' + 1) % 26)) : ch));

    private static string Executable(string path)
    {
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static string Fifo(string path)
    {
        Pipeline.Tests.Running.FailureTests.MakeFifo(path);
        return path;
    }
}
