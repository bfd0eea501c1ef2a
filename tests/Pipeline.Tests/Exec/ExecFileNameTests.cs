using System.Text;
using Pipeline.Tests.Hostile;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Exec;

/// <summary>
/// File names that are shell syntax, through every placeholder of <c>pipeline run exec</c>, as a command's own
/// arguments and inside a <c>--shell</c> line. The rule: no file name ever reaches a shell unquoted; each placeholder's
/// value arrives whole and exact; a command that names <c>{}</c> reads that very file.
/// </summary>
public sealed class ExecFileNameTests
{
    /// <summary>Each would run <c>touch pwned…</c>, split into words, or pass as an option if a shell or a parser saw it unquoted.</summary>
    private static readonly string[] HostileNames =
    [
        "$(touch pwned).txt",
        "`touch pwned2`.txt",
        "a;touch pwned3.txt",
        "it's.txt",
        "new\nline.txt",
        "-rf",
        "with space.txt",
        "back\\slash.txt",
    ];

    private const string Folder = "sub dir";

    [LinuxTheory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task RunExec_HostileNamesInEveryPlaceholder_EachOutputHoldsExactlyItsValuesAndNothingElseRuns(bool shell, bool sequential)
    {
        using var c = new HostileCase();
        WriteHostileFiles(c);

        // The values one per line, then the two environment variables; the command fails the file if PIPELINE_OUTPUT is not {out}.
        string[] command = shell
            ? ["--shell", "[ \"$PIPELINE_OUTPUT\" = {out} ] || exit 9; printf '%s\\n' {} {.} {/} {//} {/.} {#} {rel} \"$PIPELINE_INPUT\" \"$PIPELINE_RELATIVE_PATH\" > {out}"]
            : ["--", "sh", "-c", "[ \"$PIPELINE_OUTPUT\" = \"$0\" ] || exit 9; printf '%s\\n' \"$@\" \"$PIPELINE_INPUT\" \"$PIPELINE_RELATIVE_PATH\" > \"$0\"", "{out}", "{}", "{.}", "{/}", "{//}", "{/.}", "{#}", "{rel}"];

        var run = await c.RunAsync(ExecRun.Args(c, sequential, ["--json", .. command]));

        c.AssertOutcome(run, 0);
        Assert.Equal(HostileNames.Length, run.Count("files_ok"));
        var numbers = WalkNumbers();
        ExecRun.AssertOutputs(
            HostileNames.ToDictionary(n => Folder + "/" + n, n =>
            {
                var full = Path.Join(c.In, Folder, n);
                var stem = n.EndsWith(".txt", StringComparison.Ordinal) ? n[..^4] : n;
                // A name that starts with '-' comes as ./-name where it starts a word, as {/} and {/.} do here.
                string[] values = [full, Path.Join(c.In, Folder, stem), NotAnOption(n), Path.Join(c.In, Folder), NotAnOption(stem), numbers[n], Folder + "/" + n, full, Folder + "/" + n];
                return Encoding.UTF8.GetBytes(string.Concat(values.Select(v => v + "\n")));
            }),
            c.Out,
            run);
        AssertNothingPwned(c);
    }

    [LinuxTheory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task RunExec_CommandReadsTheFileByItsPath_EachOutputIsThatFilesBytes(bool shell, bool sequential)
    {
        using var c = new HostileCase();
        var contents = WriteHostileFiles(c);

        var run = await c.RunAsync(ExecRun.Args(c, sequential, shell ? ["--shell", "cat {} > {out}"] : ["--", "cat", "{}"]));

        c.AssertOutcome(run, 0);
        ExecRun.AssertOutputs(contents, c.Out, run);
        AssertNothingPwned(c);
    }

    [LinuxTheory]
    [InlineData("cat \"{}\" > \"{out}\"", false)]
    [InlineData("cat \"{}\" > \"{out}\"", true)]
    [InlineData("cat '{}' > '{out}'", false)]
    [InlineData("cat '{}' > '{out}'", true)]
    [InlineData("cat \"$(printf %s {})\" > {out}", false)]
    [InlineData("f=`printf %s {}`; cat \"$f\" > {out}", false)]
    [InlineData("f=\"`printf %s {}`\"; cat \"$f\" > {out}", true)]
    public async Task RunExec_ShellLineQuotesThePlaceholdersItself_EachValueStillArrivesExactAndNothingRuns(string line, bool sequential)
    {
        using var c = new HostileCase();
        var contents = WriteHostileFiles(c);

        // The habit of quoting "$var" carried over to placeholders: the value must not come out of the line's own quotes.
        var run = await c.RunAsync(ExecRun.Args(c, sequential, "--shell", line));

        c.AssertOutcome(run, 0);
        ExecRun.AssertOutputs(contents, c.Out, run);
        AssertNothingPwned(c);
    }

    [LinuxTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunExec_NameStartingWithADash_ReachesTheCommandAsAPathNotAnOption(bool shell)
    {
        using var c = new HostileCase();
        c.Write("in/-n", "minus n\n");

        // wc would take a bare -n for an option and fail; cd into the folder so that the name alone is the path.
        var run = await c.RunAsync(ExecRun.Args(c, false, shell ? ["--shell", "cd {//} && wc -c {/} > {out}"] : ["--", "sh", "-c", "cd \"$1\" && wc -c \"$2\" > \"$3\"", "sh", "{//}", "{/}", "{out}"]));

        c.AssertOutcome(run, 0);
        ExecRun.AssertOutputs(new Dictionary<string, byte[]> { ["-n"] = "8 ./-n\n"u8.ToArray() }, c.Out, run);
    }

    private static string NotAnOption(string name) => name.StartsWith('-') ? "./" + name : name;

    /// <summary>Writes every hostile name under <c>in/sub dir/</c>, each with content of its own (its name, then bytes no text holds); returns them by relative path.</summary>
    private static Dictionary<string, byte[]> WriteHostileFiles(HostileCase c)
    {
        var contents = HostileNames.ToDictionary(n => Folder + "/" + n, n => (byte[])[.. Encoding.UTF8.GetBytes("content of " + n), 0, 0xFF, 0x80, (byte)'\n']);
        foreach (var (relative, bytes) in contents)
        {
            c.Write("in/" + relative, bytes);
        }

        return contents;
    }

    /// <summary>Each name's <c>{#}</c>: its place (from 1) in the walk, which takes paths in the byte order of <c>LC_ALL=C sort</c>.</summary>
    private static Dictionary<string, string> WalkNumbers() =>
        HostileNames.Order(StringComparer.Ordinal).Select((n, i) => (n, i)).ToDictionary(p => p.n, p => (p.i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Nothing named <c>pwned*</c> anywhere a command could have made it: the case's folder (the run's working folder), this process's folder, <c>/tmp</c>, <c>/</c>.</summary>
    private static void AssertNothingPwned(HostileCase c)
    {
        // A glob, not find, for the shared folders: other tests' temporary files come and go there while find walks.
        var found = c.Sh("find \"$1\" -name 'pwned*' -print; for f in \"$2\"/pwned* /pwned* /tmp/pwned*; do if [ -e \"$f\" ]; then echo \"$f\"; fi; done", c.Root, Environment.CurrentDirectory);
        Assert.True(found.Length == 0, $"a file name ran as a command:\n{found}");
    }
}
