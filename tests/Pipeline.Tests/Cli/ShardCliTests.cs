using Pipeline.IO;
using Pipeline.Sharding;
using Pipeline.Tests.Support;
using Pipeline.Unattended;

namespace Pipeline.Tests.Cli;

/// <summary><c>run --shard</c>, <c>list --shard</c> and <c>merge</c> as a user (and a scheduler) runs them: exit codes, lines, files.</summary>
public sealed class ShardCliTests
{
    [Fact]
    public async Task RunShardsThenMerge_CsvOnTestdata_OutputsAreOneRunsExitOneNamesTheShardsWithFailures()
    {
        using var temp = new TempDir();
        var whole = await CliRun.InvokeAsync("run", "csv", Corpus.TestDataRoot, "-o", temp.Sub("whole"), "--quiet");
        Assert.Equal(1, whole.ExitCode); // testdata holds files that are not CSV

        var failedIn = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var shard = await CliRun.InvokeAsync("run", "csv", Corpus.TestDataRoot, "-o", temp.Sub("out"), "--shard", $"{i}/3", "--report", temp.Sub("report.csv"));
            Assert.True(shard.ExitCode is 0 or 1, shard.Error);
            Assert.Contains($"shard {i}/3 finished; once all 3 have: pipeline merge '{temp.Sub("out")}' --shards 3", shard.Error, StringComparison.Ordinal);
            if (shard.ExitCode == 1)
            {
                failedIn.Add(i);
            }
        }

        Assert.False(File.Exists(temp.Sub("out/bad-rows.csv")));
        Assert.False(File.Exists(temp.Sub("report.csv")));

        var merge = await CliRun.InvokeAsync("merge", temp.Sub("out"));

        Assert.Equal(1, merge.ExitCode);
        Assert.StartsWith("merged 3 shard(s): ", merge.Out, StringComparison.Ordinal);
        Assert.Contains($"failed in shard(s) {string.Join(", ", failedIn)}: they are left out of the outputs", merge.Error, StringComparison.Ordinal);
        Assert.Equal(Corpus.Snapshot(temp.Sub("whole")), Corpus.Snapshot(temp.Sub("out")));
        Assert.True(File.Exists(temp.Sub("report.csv")));
    }

    [Fact]
    public async Task Merge_AShardNeverRun_ExitsTwoNamingItAndWritesNothing()
    {
        using var temp = new TempDir();
        foreach (var i in (int[])[0, 2])
        {
            Assert.Equal(0, (await CliRun.InvokeAsync("run", "hash", Corpus.TestDataRoot, "-o", temp.Sub("out"), "--shard", $"{i}/3", "--quiet")).ExitCode);
        }

        var (exit, output, error) = await CliRun.InvokeAsync("merge", temp.Sub("out"), "--shards", "3");

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Equal(
            "error: shard 1 of 3 has not finished (no completion record .pipeline/shard-1-of-3/complete.json): run it again; resuming keeps what was done\n"
            + "error: nothing was merged\n",
            error.ReplaceLineEndings("\n"));
        Assert.False(File.Exists(temp.Sub("out/SHA256SUMS")));
    }

    [Fact]
    public async Task Merge_WhileAShardRuns_ExitsSeventyFive()
    {
        using var temp = new TempDir();
        Directory.CreateDirectory(temp.Sub("out"));
        using var running = OutputFolderLock.Acquire(temp.Sub("out"), new Shard(1, 2));

        var (exit, _, error) = await CliRun.InvokeAsync("merge", temp.Sub("out"), "--shards", "2");

        Assert.Equal(75, exit);
        Assert.Contains("a shard may still be running: merge once every shard has finished", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3/3", "error: --shard: '3/3' has no shard index I from 0 to 2 (or auto) before the '/'")]
    [InlineData("-1/3", "error: --shard: '-1/3' has no shard index I from 0 to 2 (or auto) before the '/'")]
    [InlineData("1/0", "error: --shard: '1/0' has no shard count N (1 to 65536) after the '/'")]
    [InlineData("auto", "error: --shard: 'auto' is not I/N or auto/N (shard I of N, I from 0; auto takes I from SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX, CLOUD_RUN_TASK_INDEX)")]
    [InlineData("two/4", "error: --shard: 'two/4' has no shard index I from 0 to 3 (or auto) before the '/'")]
    public async Task Run_BadShard_ExitsTwoWithOneLineAndCreatesNothing(string value, string expected)
    {
        using var temp = new TempDir();

        var (exit, _, error) = await CliRun.InvokeAsync("run", "hash", Corpus.TestDataRoot, "-o", temp.Sub("out"), "--shard", value);

        Assert.Equal(2, exit);
        Assert.Equal(expected, error.Trim());
        Assert.False(Directory.Exists(temp.Sub("out")));
    }

    [Fact]
    public async Task Run_ShardOfATransformWithoutAggregateOutputs_FinishesWithItsCompletionRecord()
    {
        using var temp = new TempDir();
        var gzip = await CliRun.InvokeAsync("run", "gzip", Corpus.TestDataRoot, "-o", temp.Sub("out"), "--shard", "0/2", "--quiet");

        Assert.True(gzip.ExitCode is 0, gzip.Error); // no aggregate output: any transform without one can shard
        Assert.True(File.Exists(temp.Sub("out/.pipeline/shard-0-of-2/complete.json")));
    }

    public static TheoryData<string> Variables() => [.. Shard.IndexVariables];

    [LinuxTheory]
    [MemberData(nameof(Variables))]
    public async Task List_ShardAuto_TakesTheIndexFromEachSchedulersVariable(string variable)
    {
        var environment = Shard.IndexVariables.ToDictionary(v => v, v => (string?)null);
        environment[variable] = "2";

        var outcome = await ExternalCommand.RunAsync(Pipeline, ["list", Corpus.TestDataRoot, "--shard", "auto/3"], Corpus.TestDataRoot, TimeSpan.FromMinutes(1), environment);

        var all = await CliRun.InvokeAsync("list", Corpus.TestDataRoot);
        var expected = all.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(p => Shard.IndexOf(p, 3) == 2).ToList();
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.NotEmpty(expected);
        Assert.Equal(expected, outcome.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [LinuxFact]
    public async Task Run_ShardAutoWithNoVariableSet_ExitsTwoNamingThemAll()
    {
        using var temp = new TempDir();
        var environment = Shard.IndexVariables.ToDictionary(v => v, v => (string?)null);

        var outcome = await ExternalCommand.RunAsync(Pipeline, ["run", "hash", Corpus.TestDataRoot, "-o", temp.Sub("out"), "--shard", "auto/16"], temp.Path, TimeSpan.FromMinutes(1), environment);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal("error: --shard: 'auto/16': no shard index in the environment: none of SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX, CLOUD_RUN_TASK_INDEX is set", outcome.Error.Trim());
        Assert.False(Directory.Exists(temp.Sub("out")));
    }

    [LinuxFact]
    public async Task Run_ShardAutoWithTheIndexOutOfRange_ExitsTwoNamingTheVariable()
    {
        using var temp = new TempDir();
        var environment = Shard.IndexVariables.ToDictionary(v => v, v => (string?)null);
        environment["SLURM_ARRAY_TASK_ID"] = "16";

        var outcome = await ExternalCommand.RunAsync(Pipeline, ["run", "hash", Corpus.TestDataRoot, "-o", temp.Sub("out"), "--shard", "auto/16"], temp.Path, TimeSpan.FromMinutes(1), environment);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal("error: --shard: 'auto/16': SLURM_ARRAY_TASK_ID=16 is not a shard index of 16 shards (a whole number from 0 to 15)", outcome.Error.Trim());
    }

    [LinuxTheory]
    [InlineData(9)] // SIGKILL: a node lost
    [InlineData(15)] // SIGTERM: scancel, a time limit
    public async Task Run_ShardKilledBySignal_RunAgainWithResumeSkipsWhatItDidAndTheMergeIsOneRunsBytes(int signal)
    {
        using var temp = new TempDir();
        Corpus.Generate(temp.Sub("in"), files: 300, maxSize: 20_000, seed: 31);

        // A file of shard 0, last in order, held locked: the shard waits on it (retrying), so it is surely mid-run when killed.
        var held = Enumerable.Range(0, 100).Select(i => $"zzz-held-{i}.bin").First(name => Shard.IndexOf(name, 2) == 0);
        var heldPath = temp.Write("in/" + held, [1, 2, 3]);
        var journal = RunJournal.PathFor(temp.Sub("out"), new Shard(0, 2));
        using (new FileStream(heldPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            using var child = ChildPipeline.Start("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "--shard", "0/2", "--resume", "--retries", "10", "--quiet");
            // Whole lines only: a batch of lines can be seen half written (and the kill can land before the rest is).
            await child.WaitUntilAsync(() => File.Exists(journal) && File.ReadAllText(journal).Count(c => c == '\n') >= 20, "20 files were journaled");
            if (signal == 9)
            {
                child.Kill();
            }
            else
            {
                child.Signal(signal);
            }

            var (exit, _, _) = await child.WaitAsync();
            Assert.Equal(128 + signal, exit);
        }

        // What the killed shard finished, from its journal's whole lines (a kill can tear the last one): exactly these are skipped.
        var journaled = File.ReadAllText(journal).Split('\n')[..^1];
        Assert.True(journaled.Length >= 20, $"{journaled.Length} journal lines");
        Assert.DoesNotContain(journaled, line => line.Contains("\"status\":\"failed\"", StringComparison.Ordinal));

        Assert.False(File.Exists(temp.Sub("out/.pipeline/shard-0-of-2/complete.json")));
        var resumed = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "--shard", "0/2", "--resume", "--json");
        var other = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "--shard", "1/2", "--quiet");
        var merge = await CliRun.InvokeAsync("merge", temp.Sub("out"));
        var whole = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("whole"), "--quiet");

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains($"\"files_skipped\":{journaled.Length},", resumed.Out, StringComparison.Ordinal);
        Assert.Equal((0, 0, 0), (other.ExitCode, merge.ExitCode, whole.ExitCode));
        Assert.Equal(File.ReadAllBytes(temp.Sub("whole/SHA256SUMS")), File.ReadAllBytes(temp.Sub("out/SHA256SUMS")));
        Assert.Empty(Directory.GetFiles(temp.Sub("out"), "*" + AtomicFileWriter.TempSuffix, SearchOption.AllDirectories));
    }

    private static string Pipeline => Path.Join(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "pipeline.exe" : "pipeline");
}
