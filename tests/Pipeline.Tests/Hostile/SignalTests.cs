using System.Diagnostics;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Hostile;

/// <summary>
/// B. A signal in the middle of a long run. The rule: nothing can block a run past a signal; the first SIGTERM (SIGINT)
/// abandons the files in flight, leaves no partial output and no temporary file, and exits 143 (130) promptly.
/// </summary>
public sealed class SignalTests
{
    internal const int SigHup = 1;
    internal const int SigInt = 2;
    internal const int SigTerm = 15;

    /// <summary>Signal to exit: the run must be gone this soon after the signal, on a loaded 2-core machine.</summary>
    internal static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    [LinuxTheory]
    [InlineData("hash", SigTerm, 143)]
    [InlineData("gzip", SigTerm, 143)]
    [InlineData("gzip", SigInt, 130)]
    public async Task Run_SignalWhileALargeFileIsInFlight_EndsPromptlyWithNoPartialOutput(string transform, int signal, int exitCode)
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha");

        // 8 GiB of zeros that take no disk (a sparse file): seconds of work for either transform, so the run is surely mid-flight.
        var big = c.Sub("in/big.bin");
        using (var file = File.Create(big))
        {
            file.SetLength(8L << 30);
        }

        var bigWritten = File.GetLastWriteTimeUtc(big);
        c.Watch(c.In, big); // hashing 8 GiB twice in the snapshot would be slower than the test; its size and time are checked below
        using var child = c.Start(new ChildSettings(), "run", transform, c.In, "-o", c.Out, "-p", "1");

        // Mid-run: gzip streams its output into a temporary file; hash has taken the output's lock.
        await WaitUntilAsync(child, () => transform == "gzip"
            ? Directory.Exists(c.Out) && Directory.EnumerateFiles(c.Out, "*.pipeline.tmp").Any()
            : Directory.Exists(Path.Join(c.Out, ".pipeline")));
        var run = await SignalAndWaitAsync(child, signal);

        c.AssertOutcome(run, exitCode);
        Assert.False(File.Exists(Path.Join(c.Out, "big.bin.gz")), "a partial big.bin.gz was left");
        Assert.False(File.Exists(Path.Join(c.Out, "SHA256SUMS")), "an aggregate output was written by a cancelled run");
        Assert.Equal((8L << 30, bigWritten), (new FileInfo(big).Length, File.GetLastWriteTimeUtc(big)));
    }

    [LinuxTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_Sighup_EndsAsSigtermDoesWithExit129AndResumeGoesOn(bool sequential)
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "alpha");
        var big = c.Sub("in/big.bin");
        using (var file = File.Create(big))
        {
            file.SetLength(8L << 30); // sparse: seconds of gzip, so the run is surely mid-flight
        }

        c.Watch(c.In, big);
        using var child = c.Start(new ChildSettings(), ["run", "gzip", c.In, "-o", c.Out, "-p", "1", .. sequential ? (string[])["--sequential"] : []]);
        await WaitUntilAsync(child, () => Directory.Exists(c.Out) && Directory.EnumerateFiles(c.Out, "*.pipeline.tmp").Any());
        child.Signal(SigHup);
        var run = await child.WaitAsync(HostileCase.DefaultTimeout + TimeSpan.FromSeconds(10));

        c.AssertOutcome(run, 129, "cancelled");
        Assert.False(File.Exists(Path.Join(c.Out, "big.bin.gz")), "a partial big.bin.gz was left");

        File.Delete(big);
        var resumed = await c.RunAsync("run", "gzip", c.In, "-o", c.Out, "--resume", "--json");
        c.AssertOutcome(resumed, 0);
        Assert.Equal(1, resumed.Count("files_ok") + resumed.Count("files_skipped"));
        Assert.True(c.GzipTestPasses(Path.Join(c.Out, "a.txt.gz")));
    }

    /// <summary>Sends <paramref name="signal"/> to the child and waits for its exit, which must come within <see cref="Prompt"/>.</summary>
    internal static async Task<ChildOutcome> SignalAndWaitAsync(RunningChild child, int signal)
    {
        var signalled = Stopwatch.StartNew();
        child.Signal(signal);
        var run = await child.WaitAsync(HostileCase.DefaultTimeout + TimeSpan.FromSeconds(10));
        var took = signalled.Elapsed;
        Assert.True(took < Prompt, $"exit came {took.TotalSeconds:0.0} s after the signal\n{run}");
        return run;
    }

    /// <summary>Polls <paramref name="midRun"/> until it holds; fails if the child exits first or it never holds.</summary>
    internal static async Task WaitUntilAsync(RunningChild child, Func<bool> midRun)
    {
        var deadline = Stopwatch.StartNew();
        while (!midRun())
        {
            Assert.False(child.HasExited, "the run ended before it could be signalled mid-flight");
            Assert.True(deadline.Elapsed < HostileCase.DefaultTimeout, "the run never got going");
            await Task.Delay(20);
        }
    }
}
