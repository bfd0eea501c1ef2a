using System.CommandLine;
using Pipeline.IO;
using Pipeline.Running;
using Pipeline.Safety;

namespace Pipeline.Cli.Commands;

/// <summary>Turns what a command throws into one error line and the right exit code; a stack trace only with <c>--verbose</c>.</summary>
internal static class CommandErrors
{
    public static Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Show stack traces of unexpected errors",
        Recursive = true,
    };

    public static async Task<int> GuardAsync(CliConsole console, ParseResult parse, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (CliUsageException ex)
        {
            foreach (var problem in ex.Problems)
            {
                console.WriteError(problem);
            }

            return ExitCodes.BadArguments;
        }
        catch (PipelineOptionsException ex)
        {
            foreach (var problem in ex.Problems)
            {
                console.WriteError(OptionNames.Describe(problem));
            }

            return ExitCodes.BadArguments;
        }
        catch (UnusablePathException ex)
        {
            // A configuration error found before any file was processed: the output folder, the log, a file of the
            // tool's own in .pipeline, the folder for temporary files.
            console.WriteError(ex.Message);
            WriteTrace(console, parse, ex);
            return ExitCodes.BadArguments;
        }
        catch (OperationCanceledException)
        {
            console.WriteError("cancelled");
            return ExitCodes.Cancelled;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The kind is read from the exception's type and error number, as a failed file's is; the line names it.
            console.WriteError(FileErrors.KindOf(ex) switch
            {
                FileErrorKind.PermissionDenied => $"permission denied: {ex.Message}",
                FileErrorKind.DiskFull => $"disk full: {ex.Message}",
                _ => ex.Message,
            });
            WriteTrace(console, parse, ex);
            return ExitCodes.FilesFailed;
        }
        catch (Exception ex)
        {
            console.WriteError($"unexpected failure: {ex.GetType().Name}: {ex.Message}{(parse.GetValue(Verbose) ? string.Empty : " (run with --verbose for details)")}");
            WriteTrace(console, parse, ex);
            return ExitCodes.FilesFailed;
        }
    }

    private static void WriteTrace(CliConsole console, ParseResult parse, Exception ex)
    {
        if (parse.GetValue(Verbose))
        {
            console.Error.WriteLine(ex.ToString());
        }
    }
}
