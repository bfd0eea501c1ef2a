using Pipeline.Tests.Support;

namespace Pipeline.Tests.Hostile;

/// <summary>
/// The tool's own files in a hostile output folder (issue #26). The rule: the lock, its process id, the journal, a
/// shard's lock and record, the log and the report are never opened through a link and never block; a link or a
/// special file in their place (or <c>.pipeline</c> not a folder) ends the command with exit 2 and one line naming the
/// path and what it is, before any input file is processed, and a link's target is never written.
/// </summary>
public sealed class OwnFileTests
{
    public static TheoryData<string, string, bool> StateEntries()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var file in (string[])["lock", "lock.pid", "journal", "journal --resume"])
        {
            foreach (var kind in (string[])["symbolic link", "named pipe", "socket"])
            {
                data.Add(file, kind, false);
                data.Add(file, kind, true);
            }
        }

        return data;
    }

    [LinuxTheory]
    [MemberData(nameof(StateEntries))]
    public async Task Run_StateFileIsALinkOrASpecialFile_ExitsTwoNamingItAndLeavesTheTargetAlone(string file, string kind, bool sequential)
    {
        using var c = new HostileCase();
        c.Write("in/f1.txt", "one");
        c.Write("in/f2.txt", "two");
        var target = c.Write("elsewhere/target", "not yours\n");
        var name = file.Split(' ')[0];
        var path = Path.Join(c.Out, ".pipeline", name);
        switch (kind)
        {
            case "symbolic link":
                c.Symlink("out/.pipeline/" + name, target);
                break;
            case "named pipe":
                c.Fifo("out/.pipeline/" + name);
                break;
            default:
                c.UnixSocket("out/.pipeline/" + name);
                break;
        }

        c.Watch(c.In);
        c.Watch(c.Sub("elsewhere"));
        var run = await c.RunAsync(["run", "hash", c.In, "-o", c.Out, .. file.EndsWith("--resume", StringComparison.Ordinal) ? (string[])["--resume"] : [], .. Runner(sequential)]);

        c.AssertOutcome(run, 2);
        Assert.StartsWith($"error: {path}: is a {kind}, not a regular file", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Join(c.Out, "SHA256SUMS")), "files were processed");
        Assert.Equal("not yours\n", await File.ReadAllTextAsync(target));
    }

    [LinuxTheory]
    [InlineData("symbolic link", false)]
    [InlineData("symbolic link", true)]
    [InlineData("regular file", false)]
    [InlineData("regular file", true)]
    public async Task Run_PipelineFolderIsALinkOrAFile_ExitsTwoNamingItAndWritesNothingThere(string kind, bool sequential)
    {
        using var c = new HostileCase();
        c.Write("in/f1.txt", "one");
        c.Mkdir("elsewhere");
        if (kind == "symbolic link")
        {
            c.Symlink("out/.pipeline", c.Sub("elsewhere"));
        }
        else
        {
            c.Write("out/.pipeline", "a file\n");
        }

        c.Watch(c.In);
        c.Watch(c.Sub("elsewhere"));
        var run = await c.RunAsync(["run", "hash", c.In, "-o", c.Out, .. Runner(sequential)]);

        c.AssertOutcome(run, 2);
        Assert.Equal($"error: {Path.Join(c.Out, ".pipeline")}: is a {kind}, not a folder", Assert.Single(run.ErrorLines));
        Assert.False(File.Exists(Path.Join(c.Out, "SHA256SUMS")), "files were processed");
    }

    [LinuxTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_ShardLockIsALink_ExitsTwoAndLeavesTheTargetAlone(bool sequential)
    {
        using var c = new HostileCase();
        c.Write("in/f1.txt", "one");
        var target = c.Write("elsewhere/target", "not yours\n");
        c.Symlink("out/.pipeline/shard-0-of-2/lock", target);

        c.Watch(c.In);
        c.Watch(c.Sub("elsewhere"));
        var run = await c.RunAsync(["run", "hash", c.In, "-o", c.Out, "--shard", "0/2", .. Runner(sequential)]);

        c.AssertOutcome(run, 2);
        Assert.StartsWith($"error: {Path.Join(c.Out, ".pipeline", "shard-0-of-2", "lock")}: is a symbolic link, not a regular file", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [LinuxTheory]
    [InlineData("complete.json")]
    [InlineData("parts/SHA256SUMS")]
    [InlineData("parts/SHA256SUMS.index")]
    public async Task Merge_ShardRecordOrPartIsANamedPipe_EndsNamingItInsteadOfWaiting(string file)
    {
        using var c = new HostileCase();
        c.Write("in/f1.txt", "one");
        c.Write("in/f2.txt", "two");
        c.Write("in/f3.txt", "three");
        HostileCase.AssertExit(await c.RunAsync("run", "hash", c.In, "-o", c.Out, "--shard", "0/2", "-q"), 0);
        HostileCase.AssertExit(await c.RunAsync("run", "hash", c.In, "-o", c.Out, "--shard", "1/2", "-q"), 0);
        var path = Path.Join(c.Out, ".pipeline", "shard-1-of-2", file);
        File.Delete(path);
        c.Fifo(Path.GetRelativePath(c.Root, path));

        var merge = await c.RunAsync("merge", c.Out, "--shards", "2");

        c.AssertOutcome(merge, 2, $"{path}: is a named pipe, not a regular file");
        Assert.False(File.Exists(Path.Join(c.Out, "SHA256SUMS")), "merged without shard 1's " + file);
    }

    public static TheoryData<string, string> UnusableLogs => new()
    {
        { "link to a log elsewhere", "symbolic link" },
        { "named pipe", "named pipe" },
        { "socket", "socket" },
        { "/dev/full", "character device" },
    };

    [LinuxTheory]
    [MemberData(nameof(UnusableLogs))]
    public async Task Run_LogIsALinkOrASpecialFile_ExitsTwoNamingItBeforeAnyFile(string entry, string kind)
    {
        using var c = new HostileCase();
        c.Write("in/f1.txt", "one");
        var target = c.Write("elsewhere/run.log", "2026-01-01T00:00:00.000Z [1] an earlier line\n");
        var log = entry == "/dev/full" ? "/dev/full" : c.Sub("run.log");
        switch (entry)
        {
            case "link to a log elsewhere":
                c.Symlink("run.log", target);
                break;
            case "named pipe":
                c.Fifo("run.log");
                break;
            case "socket":
                c.UnixSocket("run.log");
                break;
        }

        c.Watch(c.In);
        c.Watch(c.Sub("elsewhere"));
        var run = await c.RunAsync("run", "hash", c.In, "-o", c.Out, "--log", log);

        c.AssertOutcome(run, 2);
        Assert.Equal($"error: --log: '{log}' is a {kind}, not a regular file", Assert.Single(run.ErrorLines));
        Assert.False(Directory.Exists(c.Out), "the output folder was made");
    }

    [LinuxFact]
    public async Task Run_ReportIsALinkToAReport_ExitsTwoAndLeavesTheTargetAlone()
    {
        using var c = new HostileCase();
        c.Write("in/f1.txt", "one");
        var target = c.Write("elsewhere/report.csv", "path,status,bytes_in,bytes_out,milliseconds,error\n");
        c.Symlink("report.csv", target);

        c.Watch(c.In);
        c.Watch(c.Sub("elsewhere"));
        var run = await c.RunAsync("run", "hash", c.In, "-o", c.Out, "--report", c.Sub("report.csv"));

        c.AssertOutcome(run, 2);
        Assert.Equal($"error: --report: '{c.Sub("report.csv")}' is a symbolic link, not a regular file", Assert.Single(run.ErrorLines));
        Assert.Equal(target, new FileInfo(c.Sub("report.csv")).LinkTarget);
    }

    [RootFact("to run as a user who cannot write the log's folder")]
    public async Task Run_LogInAFolderTheUserCannotWrite_ExitsTwoBeforeAnyFile()
    {
        using var c = new HostileCase();
        c.Write("in/f1.txt", "one");
        var logs = c.Mkdir("logs"); // root's, 0755
        var log = Path.Join(logs, "run.log");

        var run = await c.RunAsync(new ChildSettings(Unprivileged: true), "run", "hash", c.In, "-o", c.Out, "--log", log);

        c.AssertOutcome(run, 2);
        Assert.Equal($"error: {log}: cannot be opened or created: permission denied", Assert.Single(run.ErrorLines));
        Assert.False(File.Exists(Path.Join(c.Out, "SHA256SUMS")), "files were processed");
    }

    [LinuxTheory]
    [InlineData("0b7e", false)]
    [InlineData("0b7e", true)]
    [InlineData("upper case", false)]
    [InlineData("upper case", true)]
    public async Task Resume_JournalDigestIsNotWhatTheTransformWrites_HashesTheFileAgain(string edit, bool sequential)
    {
        using var c = new HostileCase();
        c.Write("in/f1.txt", "one");
        c.Write("in/f2.txt", "two");
        HostileCase.AssertExit(await c.RunAsync(["run", "hash", c.In, "-o", c.Out, "-q", .. Runner(sequential)]), 0);
        var sums = await File.ReadAllTextAsync(Path.Join(c.Out, "SHA256SUMS"));
        var journal = Path.Join(c.Out, ".pipeline", "journal");
        var lines = await File.ReadAllLinesAsync(journal);
        var digest = System.Text.RegularExpressions.Regex.Match(lines[1], "\"artifact\":\"([0-9a-f]{64})\"").Groups[1].Value;
        Assert.Contains("\"path\":\"f2.txt\"", lines[1], StringComparison.Ordinal);
        lines[1] = lines[1].Replace(digest, edit == "0b7e" ? "0b7e" : digest.ToUpperInvariant(), StringComparison.Ordinal);
        await File.WriteAllLinesAsync(journal, lines);

        var resumed = await c.RunAsync(["run", "hash", c.In, "-o", c.Out, "--resume", "--json", .. Runner(sequential)]);

        c.AssertOutcome(resumed, 0);
        Assert.Equal((1L, 1L), (resumed.Count("files_skipped"), resumed.Count("files_ok")));
        Assert.Equal(sums, await File.ReadAllTextAsync(Path.Join(c.Out, "SHA256SUMS")));
    }

    [LinuxFact]
    public async Task Run_FreshOutput_MakesItsOwnFilesReadableAndWritableByTheOwner()
    {
        using var c = new HostileCase();
        c.Write("in/f1.txt", "one");

        var run = await c.RunAsync("run", "hash", c.In, "-o", c.Out, "-q", "--log", c.Sub("run.log"));

        c.AssertOutcome(run, 0);
        // Created with rw-rw-rw- less the umask, as FileStream creates files: never mode 000, which a run as another user could not open.
        var lacking = c.Sh("cd \"$1\" && find .pipeline/lock .pipeline/lock.pid .pipeline/journal ../run.log -maxdepth 0 ! -perm -u=rw", c.Out);
        Assert.Equal(string.Empty, lacking);
    }

    internal static string[] Runner(bool sequential) => sequential ? ["--sequential"] : [];
}
