using Spectre.Console;

namespace Pipeline.Cli;

/// <summary>Where a command writes: injected, so a test can run a command and read its exact text.</summary>
/// <param name="Out">Results (tables, JSON, lists).</param>
/// <param name="Error">Errors, one line each.</param>
/// <param name="OutIsTerminal">Whether <paramref name="Out"/> is a terminal (enables colour and live display).</param>
/// <param name="ErrorIsTerminal">Whether <paramref name="Error"/> is a terminal.</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, bool OutIsTerminal = false, bool ErrorIsTerminal = false)
{
    /// <summary>The width tables and help are fitted to when output is not a terminal (a file, a pipe, a test).</summary>
    public const int DefaultWidth = 120;

    /// <summary>Narrowest width anything is fitted to: below it, lines wrap as the terminal wraps them.</summary>
    public const int MinimumWidth = 40;

    /// <summary>
    /// The width, in columns, everything is fitted to; <see langword="null"/> (the default) for the terminal's own width
    /// read as each thing is drawn, or <see cref="DefaultWidth"/> when output is not a terminal. Set by tests.
    /// </summary>
    public int? Width { get; init; }

    /// <summary>The width to fit <see cref="Out"/> to now.</summary>
    public int OutWidth => Math.Max(MinimumWidth, Width ?? (OutIsTerminal ? TerminalWidth() : DefaultWidth));

    /// <summary>The width to fit the progress display on <see cref="Error"/> to now: the terminal may have been resized since the last look.</summary>
    public int ErrorWidth => Math.Max(MinimumWidth, Width ?? TerminalWidth());

    /// <summary>The terminal's columns: from the terminal itself, else <c>COLUMNS</c>, else 80.</summary>
    public static int TerminalWidth()
    {
        try
        {
            if (Console.WindowWidth > 0)
            {
                return Console.WindowWidth;
            }
        }
        catch (Exception ex) when (ex is IOException or PlatformNotSupportedException or InvalidOperationException)
        {
            // No terminal to ask: fall through.
        }

        return int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var columns) && columns > 0
            ? columns
            : 80;
    }

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
        console.Profile.Width = OutWidth;
        return console;
    }

    /// <summary>Rounded box lines on a terminal; plain ASCII in files and logs.</summary>
    public TableBorder TableBorder => OutIsTerminal ? TableBorder.Rounded : TableBorder.Ascii;

    /// <summary>
    /// Writes a paragraph to <see cref="Out"/>: on a terminal (or at the width a test sets), wrapped at spaces to the
    /// width, later lines indented <paramref name="indent"/> columns (default 2), so that the terminal's own wrapping
    /// never splits a word or a number; into a file or a pipe, one line, as scripts expect.
    /// </summary>
    public void WriteOutProse(string text, int indent = 2)
    {
        if (Width is null && !OutIsTerminal)
        {
            Out.WriteLine(text);
            return;
        }

        foreach (var line in Wrap(text, OutWidth, indent))
        {
            Out.WriteLine(line);
        }
    }

    /// <summary>
    /// Greedy wrapping at spaces, later lines indented; the text's own spacing kept within a line (two spaces between
    /// a name and its description stay two); a word longer than the width stays whole on a line of its own.
    /// </summary>
    internal static IEnumerable<string> Wrap(string text, int width, int indent = 2)
    {
        var lead = text.Length - text.TrimStart(' ').Length;
        var line = new System.Text.StringBuilder().Append(' ', lead);
        var fresh = true; // nothing but indentation on the line yet
        foreach (var word in text[lead..].Split(' '))
        {
            if (!fresh && word.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString().TrimEnd();
                line.Clear().Append(' ', indent);
                fresh = true;
            }

            if (fresh && word.Length == 0)
            {
                continue; // no line starts with the spaces between two words
            }

            line.Append(fresh ? string.Empty : " ").Append(word);
            fresh = false;
        }

        if (!fresh)
        {
            yield return line.ToString().TrimEnd();
        }
    }

    public void WriteError(string message) => Error.WriteLine("error: " + message);
}
