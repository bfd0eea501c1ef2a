using System.Diagnostics;
using System.Text.Json;
using Pipeline.Cli.Comparing;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Comparing;

/// <summary>
/// How much CPU the rest of the machine took during a comparison's rounds, and that <c>compare</c> says so when it was
/// enough to matter: read from <c>/proc/stat</c> for the CPUs the process may use, minus its own CPU time.
/// </summary>
public sealed class OtherWorkTests
{
    [Fact]
    public void ParseBusyTime_StatLine_SumsUserNiceSystemIrqSoftirqStealOnly()
    {
        // user nice system idle iowait irq softirq steal guest guest_nice
        var sut = ProcessResources.ParseBusyTime("cpu1 100 20 30 4000 500 6 7 8 90 1", 100);

        Assert.Equal(TimeSpan.FromSeconds(1.71), sut);
    }

    [Theory]
    [InlineData("intr 1 2 3 4 5 6 7 8 9")]
    [InlineData("cpu 1 2 3")]
    [InlineData(null)]
    public void ParseBusyTime_NotACpuLine_IsNull(string? line) => Assert.Null(ProcessResources.ParseBusyTime(line, 100));

    [Fact]
    public void AllowedCpus_RangesAndSingles_Expanded()
    {
        var sut = ProcessResources.AllowedCpus("Cpus_allowed_list:\t0-2,5");

        Assert.Equal([0, 1, 2, 5], sut!.Order());
    }

    [Fact]
    public void Summarize_MoreOtherTicksThanTheRoundsHadTime_SaysAtMostTheCores()
    {
        var summary = Pipeline.Running.RunSummary.FromResults([], TimeSpan.Zero);
        var samples = new List<ComparisonRunner.Sample>
        {
            // 8 ms rounds that read three 10 ms ticks of other work per core: the kernel's counts are that coarse.
            new(0.008, 0.004, 0, summary) { OtherCpuSeconds = 0.03 * Environment.ProcessorCount },
            new(0.008, 0.004, 0, summary) { OtherCpuSeconds = 0.03 * Environment.ProcessorCount },
        };

        var sut = ComparisonRunner.Summarize(samples, files: 1, bytes: 1);

        Assert.Equal(Environment.ProcessorCount, sut.OtherCoresBusy);
    }

    [LinuxFact]
    public async Task CompareHash_BesideABusyLoopOnItsOnlyCpu_SaysOtherProcessesKeptItBusy()
    {
        using var temp = new TempDir();
        var random = new Random(7);
        for (var i = 0; i < 24; i++)
        {
            var bytes = new byte[1 << 20];
            random.NextBytes(bytes);
            temp.Write($"in/f{i:D2}.bin", bytes);
        }

        // Both on CPU 0: the loop takes about half of it whatever else the machine does (the fair scheduler), and
        // work on the other CPUs is not counted (compare sees one core).
        using var busy = Process.Start(new ProcessStartInfo("taskset", ["-c", "0", "sh", "-c", "while :; do :; done"]) { UseShellExecute = false })!;
        try
        {
            var outcome = await ExternalCommand.RunAsync(
                "taskset",
                ["-c", "0", Path.Join(AppContext.BaseDirectory, "pipeline"), "compare", "hash", temp.Sub("in"), "-p", "1", "--rounds", "3", "--json"],
                temp.Path,
                TimeSpan.FromMinutes(3));

            Assert.True(outcome.ExitCode == 0, outcome.Error);
            using var json = JsonDocument.Parse(outcome.Out);
            var root = json.RootElement;
            Assert.Equal(1, root.GetProperty("cores").GetInt32());
            var others = root.GetProperty("other_cores_busy").GetDouble();
            Assert.InRange(others, ComparisonResult.OtherCoresWorthNoting, 1.05);
            Assert.True(root.GetProperty("slowed_by_other_work").GetBoolean());
            Assert.Contains(
                root.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!),
                n => n.StartsWith("other processes kept about ", StringComparison.Ordinal) && n.Contains(" of 1 cores busy during the rounds: this speedup understates the pipeline", StringComparison.Ordinal));
            Assert.True(root.GetProperty("sequential").GetProperty("other_cores_busy").GetDouble() > 0);
        }
        finally
        {
            busy.Kill(entireProcessTree: true);
            await busy.WaitForExitAsync();
        }
    }

    [LinuxFact]
    public async Task CompareJson_AnyMachine_GivesOtherCoresBusyAsANumber()
    {
        using var temp = new TempDir();
        for (var i = 0; i < 50; i++)
        {
            temp.Write($"in/f{i:D2}.txt", $"file {i}\n");
        }

        var (exit, stdout, stderr) = await CliRun.InvokeAsync("compare", "hash", temp.Sub("in"), "--rounds", "1", "--json");

        // The machine is shared: how busy it was is not asserted, only that it is measured, per mode and in all.
        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(JsonValueKind.Number, root.GetProperty("other_cores_busy").ValueKind);
        Assert.True(root.GetProperty("other_cores_busy").GetDouble() >= 0);
        Assert.Equal(JsonValueKind.Number, root.GetProperty("pipeline").GetProperty("other_cores_busy").ValueKind);
        Assert.Contains(root.GetProperty("slowed_by_other_work").ValueKind, (JsonValueKind[])[JsonValueKind.True, JsonValueKind.False]);
    }
}
