using System.Diagnostics;

namespace Pipeline.Tests.Support;

/// <summary>
/// How the tests start a child program: its output and input redirected, and SIGINT at its default action. A process
/// started in the background of a shell (as a CI script may start the tests) inherits SIGINT ignored, and a program
/// that finds SIGINT ignored when it starts keeps it so (as it should: that is how background jobs and nohup work),
/// so a test that sends the child SIGINT would see nothing happen (and SIGHUP likewise under nohup). On Linux the child is started through coreutils'
/// <c>env --default-signal=INT,HUP</c>, which resets them and then executes the program in the same process.
/// </summary>
internal static class ChildStart
{
    public static ProcessStartInfo For(string program, IEnumerable<string> args)
    {
        var viaEnv = OperatingSystem.IsLinux() && File.Exists("/usr/bin/env");
        var start = new ProcessStartInfo(viaEnv ? "/usr/bin/env" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (viaEnv)
        {
            start.ArgumentList.Add("--default-signal=INT,HUP");
            start.ArgumentList.Add(program);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // No debugger pipes or diagnostics socket: the runtime makes them in the temporary folder and only removes them
        // at a clean exit, so every child a test kills would leave its own behind.
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        return start;
    }
}
