using Pipeline.Cli;

namespace Pipeline.Tests.Support;

/// <summary>Runs the real <c>pipeline</c> command in process, through injected writers.</summary>
public static class CliRun
{
    public static async Task<(int ExitCode, string Out, string Error)> InvokeAsync(params string[] args) =>
        await InvokeAsync(CancellationToken.None, args);

    public static async Task<(int ExitCode, string Out, string Error)> InvokeAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await new CliApp(new CliConsole(output, error)).InvokeAsync(args, cancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }

    /// <summary>As <see cref="InvokeAsync(string[])"/>, with tables and help fitted to <paramref name="width"/> columns as on a terminal that wide.</summary>
    public static async Task<(int ExitCode, string Out, string Error)> InvokeAtWidthAsync(int width, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await new CliApp(new CliConsole(output, error) { Width = width }).InvokeAsync(args, CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }
}
