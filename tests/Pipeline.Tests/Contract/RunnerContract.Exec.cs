using System.Net;
using System.Net.Sockets;
using System.Text;
using Pipeline.Exec;
using Pipeline.Running;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Contract;

/// <summary>
/// Transforms that wait (<see cref="Pipeline.Transforms.IAsyncFileTransform"/>) against each runner: a command per file
/// (real child processes) and an embedder's transform that posts each file to a real HTTP server on loopback.
/// </summary>
public abstract partial class RunnerContract
{
    // ---------------------------------------------------------------- 15. exec

    [LinuxFact]
    public async Task Run_ExecFilter_EachFilesStdoutIsItsOutputStreamedFilesIncluded()
    {
        using var temp = new TempDir();
        var files = new Dictionary<string, string>
        {
            ["a.txt"] = "alpha\n",
            ["sub/b.txt"] = "beta gamma\n",
            ["big.txt"] = string.Concat(Enumerable.Repeat("streamed past several chunks\n", 2000)), // ~58 KB: many chunks
            ["empty.txt"] = string.Empty,
        };
        foreach (var (path, content) in files)
        {
            temp.Write("in/" + path, content);
        }

        var summary = await RunAsync(new ExecTransform(new ExecOptions { Command = ["tr", "a-z", "A-Z"] }), Options(temp)).WaitAsync(Patience);

        Assert.Equal((4, 0), (summary.FilesSucceeded, summary.FilesFailed));
        AssertTree(files.ToDictionary(f => f.Key, f => Encoding.ASCII.GetBytes(f.Value.ToUpperInvariant())), temp.Sub("out"));
        Assert.Equal(files.Values.Sum(v => (long)v.Length), summary.BytesIn);
    }

    [LinuxFact]
    public async Task Run_ExecWritesPartOfItsOutputThenFails_LeavesNothingAndSaysWhy()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "alpha");
        temp.Write("in/b.txt", "beta");
        var transform = new ExecTransform(new ExecOptions
        {
            Command = ["sh", "-c", "cat \"$1\" > \"$2\"; case \"$1\" in *b.txt) echo 'b is bad' >&2; exit 3;; esac", "sh", "{}", "{out}"],
        });

        var summary = await RunAsync(transform, Options(temp)).WaitAsync(Patience);

        Assert.Equal((FileStatus.Failed, "command failed: exit 3: b is bad"), (Result(summary, "b.txt").Status, Result(summary, "b.txt").Error));
        AssertTree(new Dictionary<string, byte[]> { ["a.txt"] = Encoding.ASCII.GetBytes("alpha") }, temp.Sub("out"));
        AssertNoTemporaryFiles(temp.Sub("out"));
    }

    [LinuxFact]
    public async Task Run_ExecOkExitCodes_GrepFindingNothingSucceedsWithAnEmptyOutput()
    {
        using var temp = new TempDir();
        temp.Write("in/hit.txt", "needle\nhay\n");
        temp.Write("in/miss.txt", "hay\n");
        var transform = new ExecTransform(new ExecOptions { Command = ["grep", "needle"], OkExitCodes = [0, 1] });

        var summary = await RunAsync(transform, Options(temp)).WaitAsync(Patience);

        Assert.Equal(2, summary.FilesSucceeded);
        AssertTree(new Dictionary<string, byte[]> { ["hit.txt"] = Encoding.ASCII.GetBytes("needle\n"), ["miss.txt"] = [] }, temp.Sub("out"));
    }

    [LinuxFact]
    public async Task Run_ExecCancelledWhileOneCommandStillRuns_KeepsEveryFileThatFinished()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "alpha\n");
        temp.Write("in/b.txt", "beta\n");
        temp.Write("in/c-slow.txt", "slow\n");
        var transform = new ExecTransform(new ExecOptions { Command = ["sh", "-c", "case \"$PIPELINE_RELATIVE_PATH\" in *slow*) sleep 60;; esac; tr a-z A-Z"] });
        using var cancellation = new CancellationTokenSource();

        // Each finished file is in place while the slow one still runs (one batch of the pipeline holds all three):
        // stopped then, the run keeps them, and a resume has only the slow one left to do.
        var run = RunAsync(transform, Options(temp), null, cancellation.Token);
        await WaitOrFailAsync(Task.Run(async () =>
        {
            while (!File.Exists(temp.Sub("out/a.txt")) || !File.Exists(temp.Sub("out/b.txt")))
            {
                await Task.Delay(20);
            }
        }), run, "the two quick files' outputs to be in place");
        await cancellation.CancelAsync();
        var summary = await run.WaitAsync(Patience);

        Assert.Equal(FileStatus.Succeeded, Result(summary, "a.txt").Status);
        Assert.Equal(FileStatus.Succeeded, Result(summary, "b.txt").Status);
        Assert.Equal(FileStatus.Cancelled, Result(summary, "c-slow.txt").Status);
        AssertTree(new Dictionary<string, byte[]> { ["a.txt"] = Encoding.ASCII.GetBytes("ALPHA\n"), ["b.txt"] = Encoding.ASCII.GetBytes("BETA\n") }, temp.Sub("out"));
        AssertNoTemporaryFiles(temp.Sub("out"));
    }

    [LinuxFact]
    public async Task Run_ExecMaxErrorsOne_StartsNoCommandAfterTheFirstFailure()
    {
        using var temp = new TempDir();
        for (var i = 0; i < 40; i++)
        {
            temp.Write($"in/f{i:D2}.txt", "x");
        }

        var count = temp.Sub("started");
        var transform = new ExecTransform(new ExecOptions { Command = ["sh", "-c", "echo started >> \"$0\"; exit 1", count], NoOutput = true });

        var summary = await RunAsync(transform, Options(temp).With(o => { o.MaxErrors = 1; o.MaxDegreeOfParallelism = 1; })).WaitAsync(Patience);

        // One command at a time: the first fails, and of the 39 others (32 of them in one batch of the pipeline) at most
        // the one that took the freed slot in the instant before the failure was counted starts; the rest are cancelled.
        var started = File.ReadAllLines(count).Length;
        Assert.InRange(started, 1, 2);
        Assert.Equal((started, 0), (summary.FilesFailed, summary.FilesSucceeded));
    }

    [LinuxFact]
    public async Task Run_ExecTimeout_KillsTheCommandAndWhatItStartedAndFailsTheFile()
    {
        using var temp = new TempDir();
        temp.Write("in/slow.txt", "x");
        var pidFile = temp.Sub("grandchild.pid");
        var transform = new ExecTransform(new ExecOptions
        {
            Command = ["sh", "-c", "sleep 60 & echo $! > \"$1\"; wait", "sh", pidFile],
            Timeout = TimeSpan.FromSeconds(3), // time enough, on a loaded machine, for sh to start and record its child
        });

        var summary = await RunAsync(transform, Options(temp)).WaitAsync(Patience);

        var slow = Result(summary, "slow.txt");
        Assert.Equal(FileStatus.Failed, slow.Status);
        Assert.StartsWith("timed out after 3 s", slow.Error, StringComparison.Ordinal);
        var grandchild = LinuxProcess.ReadPid(pidFile);
        Assert.Empty(LinuxProcess.StillAliveAfterAWhile([grandchild]));
        AssertTree(new Dictionary<string, byte[]>(), temp.Sub("out"));
        AssertNoTemporaryFiles(temp.Sub("out"));
    }

    // ---------------------------------------------------------------- 16. an embedder's transform that waits on the network

    [Fact]
    public async Task Run_HttpPostTransform_EachFileIsPostedAndTheAnswerIsItsOutput()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "alpha");
        temp.Write("in/sub/b.txt", "beta");
        await using var server = new LoopbackServer(async context =>
        {
            using var body = new StreamReader(context.Request.InputStream);
            var text = await body.ReadToEndAsync();
            var answer = Encoding.UTF8.GetBytes($"{context.Request.Url!.AbsolutePath} got {text.Length} bytes: {text.ToUpperInvariant()}");
            await context.Response.OutputStream.WriteAsync(answer);
            context.Response.Close();
        });
        using var client = new HttpClient();

        var summary = await RunAsync(new HttpPostTransform(client, server.Address), Options(temp)).WaitAsync(Patience);

        Assert.Equal(2, summary.FilesSucceeded);
        AssertTree(
            new Dictionary<string, byte[]>
            {
                ["a.txt.response"] = Encoding.UTF8.GetBytes("/files/a.txt got 5 bytes: ALPHA"),
                ["sub/b.txt.response"] = Encoding.UTF8.GetBytes("/files/sub/b.txt got 4 bytes: BETA"),
            },
            temp.Sub("out"));
    }

    [Fact]
    public async Task Run_HttpPostCancelledMidRequest_EndsPromptlyWithNothingWritten()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "alpha");
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new LoopbackServer(async context =>
        {
            received.TrySetResult();
            await release.Task; // the answer never comes while the run waits
            context.Response.Abort();
        });
        using var client = new HttpClient();
        using var cancellation = new CancellationTokenSource();

        var run = RunAsync(new HttpPostTransform(client, server.Address), Options(temp), null, cancellation.Token);
        await WaitOrFailAsync(received.Task, run, "the request to reach the server");
        await cancellation.CancelAsync();
        var summary = await run.WaitAsync(Patience);
        release.TrySetResult();

        Assert.True(summary.Cancelled);
        Assert.Equal(FileStatus.Cancelled, Result(summary, "a.txt").Status);
        AssertTree(new Dictionary<string, byte[]>(), temp.Sub("out"));
        AssertNoTemporaryFiles(temp.Sub("out"));
        AssertLockReleased(temp.Sub("out"));
    }

    /// <summary>A real HTTP server on a free loopback port, answering each request with <paramref name="handle"/> until disposed.</summary>
    private sealed class LoopbackServer : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;

        public LoopbackServer(Func<HttpListenerContext, Task> handle)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Address = new Uri($"http://127.0.0.1:{port}/");
            _listener.Prefixes.Add(Address.ToString());
            _listener.Start();
            _serving = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                    {
                        return;
                    }

                    _ = Task.Run(() => handle(context));
                }
            });
        }

        public Uri Address { get; }

        public async ValueTask DisposeAsync()
        {
            // Close alone, which stops the listener too. Stop and then Close unregisters the prefix twice, and the managed
            // HttpListener binds the port again to unregister it the second time: "Address already in use" when another
            // test or process has taken the freed port in between (seen in CI).
            _listener.Close();
            await _serving.WaitAsync(TimeSpan.FromSeconds(5));
        }
    }
}
