using System.Runtime.InteropServices;
using Pipeline.Cli;

// A command per file (exec) leaves the cores to its child processes: the thread pool's idle workers must not spin
// while they wait for work, or they take CPU the commands need (docs/benchmarks.md, exec-gzip). Read once, when the
// pool starts, so it is set before the first await; the built-in transforms keep the default, which suits them.
if (args is ["run" or "compare", var transform, ..] && transform.Equals("exec", StringComparison.OrdinalIgnoreCase))
{
    AppContext.SetData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", "0");
}

// The first Ctrl+C, SIGTERM or SIGHUP (the terminal closed, the SSH session dropped) asks the run to stop cleanly: no
// partial outputs, the journal and summary written, exit 130 (SIGINT), 143 (SIGTERM) or 129 (SIGHUP). A second one ends the process at once, which still leaves no partial output
// because every output is renamed into place only when complete; the next run removes the leftover temporary files.
using var cancellation = new CancellationTokenSource();
var signal = PosixSignal.SIGINT;
void OnSignal(PosixSignalContext context)
{
    if (cancellation.IsCancellationRequested)
    {
        return;
    }

    signal = context.Signal;
    context.Cancel = true;
    cancellation.Cancel();
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
var console = new CliConsole(Console.Out, Console.Error, !Console.IsOutputRedirected, !Console.IsErrorRedirected);
var exit = await new CliApp(console).InvokeAsync(args, cancellation.Token);
return exit != ExitCodes.Cancelled ? exit
    : signal == PosixSignal.SIGTERM ? ExitCodes.Terminated
    : signal == PosixSignal.SIGHUP ? ExitCodes.HungUp
    : exit;
