using Spectre.Console;

namespace Pipeline.Cli;

/// <summary>Where a command writes: injected, so a test can run a command and read its exact text.</summary>
/// <param name="Out">Results (tables, JSON, lists).</param>
/// <param name="Error">Errors, one line each.</param>
/// <param name="OutIsTerminal">Whether <paramref name="Out"/> is a terminal (enables colour and live display).</param>
/// <param name="ErrorIsTerminal">Whether <paramref name="Error"/> is a terminal.</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, bool OutIsTerminal = false, bool ErrorIsTerminal = false)
{
    /// <summary>A Spectre console over <see cref="Out"/>: plain text when it is not a terminal, so output stays clean in logs and tests.</summary>
    public IAnsiConsole CreateOutConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Ansi = OutIsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = OutIsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!OutIsTerminal)
        {
            console.Profile.Width = 120;
        }

        return console;
    }

    /// <summary>A Spectre console over <see cref="Error"/>, for the live progress display on a terminal.</summary>
    public IAnsiConsole CreateErrorConsole() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Error),
        Ansi = ErrorIsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = ErrorIsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = ErrorIsTerminal ? InteractionSupport.Yes : InteractionSupport.No,
    });

    /// <summary>Rounded box lines on a terminal; plain ASCII in files and logs.</summary>
    public TableBorder TableBorder => OutIsTerminal ? TableBorder.Rounded : TableBorder.Ascii;

    public void WriteError(string message) => Error.WriteLine("error: " + message);
}
