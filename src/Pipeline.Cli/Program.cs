using System.Runtime.InteropServices;
using Pipeline.Cli;

// The first Ctrl+C or SIGTERM asks the run to stop cleanly (no partial outputs, exit 130);
// a second one ends the process at once, which still leaves no partial output because
// every output is renamed into place only when complete.
using var cancellation = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    if (cancellation.IsCancellationRequested)
    {
        return;
    }

    context.Cancel = true;
    cancellation.Cancel();
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
var console = new CliConsole(Console.Out, Console.Error, !Console.IsOutputRedirected, !Console.IsErrorRedirected);
return await new CliApp(console).InvokeAsync(args, cancellation.Token);
