using Pipeline.Tests.Support;

namespace Pipeline.Tests.Hostile;

/// <summary>
/// D. Bad option values. The rule: every bad argument exits 2 with one error line naming the option (a usage hint
/// line after it is allowed), no stack trace, and nothing created: no output folder, no report, no log.
/// </summary>
public sealed class BadOptionTests
{
    private const string UsageHint = "Run 'pipeline --help' for usage.";

    /// <summary>A label (the bad part), the arguments ({in}, {out}, {root} stand for the case's folders) and the names of the option the error line must name (any one).</summary>
    public static TheoryData<string, string[], string[]> BadArguments => new()
    {
        { "-p abc", ["run", "gzip", "{in}", "-o", "{out}", "-p", "abc"], ["-p", "--parallelism"] },
        { "-p 0", ["run", "gzip", "{in}", "-o", "{out}", "-p", "0"], ["-p", "--parallelism"] },
        { "-p -1", ["run", "gzip", "{in}", "-o", "{out}", "-p", "-1"], ["-p", "--parallelism"] },
        { "--level x", ["run", "gzip", "{in}", "-o", "{out}", "--level", "x"], ["--level", "-l"] },
        { "--level 10", ["run", "gzip", "{in}", "-o", "{out}", "--level", "10"], ["--level", "-l"] },
        { "--max-errors x", ["run", "gzip", "{in}", "-o", "{out}", "--max-errors", "x"], ["--max-errors"] },
        { "--chunk-size 1.5", ["run", "gzip", "{in}", "-o", "{out}", "--chunk-size", "1.5"], ["--chunk-size"] },
        { "compare --rounds x", ["compare", "gzip", "{in}", "--rounds", "x"], ["--rounds", "-r"] },
        { "--io-concurrency 99999999999", ["run", "gzip", "{in}", "-o", "{out}", "--io-concurrency", "99999999999"], ["--io-concurrency"] },
        { "--retries -1", ["run", "gzip", "{in}", "-o", "{out}", "--retries", "-1"], ["--retries"] },
        { "-i **/../../*", ["run", "gzip", "{in}", "-o", "{out}", "-i", "**/../../*"], ["--include", "-i"] },
        { "--report existing-folder", ["run", "gzip", "{in}", "-o", "{out}", "--report", "{root}/existing-folder"], ["--report"] },
        { "--report nonexistent-dir/r.csv", ["run", "gzip", "{in}", "-o", "{out}", "--report", "{root}/nonexistent-dir/r.csv"], ["--report"] },
        { "--log nonexistent-dir/l.log", ["run", "gzip", "{in}", "-o", "{out}", "--log", "{root}/nonexistent-dir/l.log"], ["--log"] },
        { "--delimiter ab", ["run", "csv", "{in}", "-o", "{out}", "--delimiter", "ab"], ["--delimiter", "-d"] },
        { "--output-delimiter ab", ["run", "csv", "{in}", "-o", "{out}", "--output-delimiter", "ab"], ["--output-delimiter"] },
        { "--to xml", ["run", "csv", "{in}", "-o", "{out}", "--to", "xml"], ["--to"] },
        { "--bad-rows maybe", ["run", "csv", "{in}", "-o", "{out}", "--bad-rows", "maybe"], ["--bad-rows"] },
        { "--where amount~[", ["run", "csv", "{in}", "-o", "{out}", "--where", "amount~["], ["--where", "-w"] },
        { "--algorithm sha999", ["run", "hash", "{in}", "-o", "{out}", "--algorithm", "sha999"], ["--algorithm", "-a"] },
        { "--format xml", ["run", "hash", "{in}", "-o", "{out}", "--format", "xml"], ["--format"] },
        { "--frobnicate", ["run", "gzip", "{in}", "-o", "{out}", "--frobnicate"], ["--frobnicate"] },
        { "input folder does not exist", ["run", "gzip", "{root}/missing", "-o", "{out}"], ["missing"] },
        { "input is a file", ["run", "gzip", "{root}/a-file", "-o", "{out}"], ["a-file"] },
        { "output is an existing file", ["run", "gzip", "{in}", "-o", "{root}/a-file"], ["a-file"] },
    };

    [LinuxTheory]
    [MemberData(nameof(BadArguments))]
    public async Task Run_BadArgument_Exit2OneLineNamingItNothingCreated(string bad, string[] template, string[] names)
    {
        Assert.NotEmpty(bad);
        using var c = new HostileCase();
        c.Write("in/data.csv", "id,amount\n1,5\n");
        c.Write("a-file", "not a folder");
        c.Mkdir("existing-folder");
        c.Watch(c.Root);

        var run = await c.RunAsync([.. template.Select(a => a.Replace("{in}", c.In, StringComparison.Ordinal).Replace("{out}", c.Out, StringComparison.Ordinal).Replace("{root}", c.Root, StringComparison.Ordinal))]);

        c.AssertOutcome(run, 2);
        AssertOneLineNaming(run, names);
    }

    [LinuxFact]
    public async Task Run_MemoryBudgetBeyondAnInt_AcceptedOrRefusedButNeverACrash()
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha");

        var run = await c.RunAsync("run", "gzip", c.In, "-o", c.Out, "--memory-budget", "3000000000");

        HostileCase.AssertExit(run, 0, 1, 2);
        c.AssertUnharmed(run);
        if (run.ExitCode == 2)
        {
            AssertOneLineNaming(run, ["--memory-budget"]);
            Assert.False(Directory.Exists(c.Out), "refused, yet the output folder was created");
        }
    }

    private static void AssertOneLineNaming(ChildOutcome run, string[] names)
    {
        var errors = run.ErrorLines.Where(l => l != UsageHint).ToList();
        Assert.True(errors.Count == 1, $"expected one error line\n{run}");
        Assert.True(names.Any(n => errors[0].Contains(n, StringComparison.Ordinal)), $"the error line names none of {string.Join(", ", names)}\n{run}");
    }
}
