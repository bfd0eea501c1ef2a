using Spectre.Console;

namespace Pipeline.Cli.Output;

/// <summary>
/// A table that fits the console's width without cutting a header to an ellipsis or splitting a number across lines:
/// Spectre shrinks a table that is too wide by wrapping its cells and headers, which turns <c>100,081</c> into
/// <c>100 / ,08 / 1</c> on three lines. Instead, when the natural width does not fit, the same figures are laid out
/// turned a quarter (one row per header, one column per record), and when even that is too wide, one small two-column
/// table per record.
/// </summary>
internal sealed class FittedTable
{
    private readonly List<string> _headers = [];
    private readonly List<bool> _rightAligned = [];
    private readonly List<string[]> _rows = [];

    /// <param name="title">The title, above the table (wrapped at spaces if it is longer than the table is wide).</param>
    /// <param name="labelled">Whether the first column names each row (a mode, a workload): kept as the heading of its record when the table is turned.</param>
    public FittedTable(string title, bool labelled)
    {
        Title = title;
        Labelled = labelled;
    }

    public string Title { get; }

    public bool Labelled { get; }

    public string? Caption { get; init; }

    public FittedTable AddColumn(string header, bool rightAligned = true)
    {
        _headers.Add(header);
        _rightAligned.Add(rightAligned);
        return this;
    }

    public FittedTable AddRow(params string[] cells)
    {
        if (cells.Length != _headers.Count)
        {
            throw new ArgumentException($"a row of {cells.Length} cells for {_headers.Count} columns", nameof(cells));
        }

        _rows.Add(cells);
        return this;
    }

    /// <summary>Writes the table to <paramref name="output"/> in the first layout that fits its width.</summary>
    public void Write(IAnsiConsole output, TableBorder border)
    {
        var width = output.Profile.Width;
        var wide = Wide(border);
        if (NaturalWidth(wide) <= width)
        {
            output.Write(wide);
            return;
        }

        var turned = Turned(border);
        if (NaturalWidth(turned) <= width)
        {
            output.Write(turned);
            return;
        }

        // One record at a time: as narrow as a table of these figures can be.
        output.Write(new Markup(Markup.Escape(Title) + "\n"));
        for (var r = 0; r < _rows.Count; r++)
        {
            var record = new Table().Border(border).AddColumn(string.Empty).AddColumn(new TableColumn(string.Empty).RightAligned()).HideHeaders();
            if (Labelled)
            {
                record.Title(Markup.Escape(_rows[r][0]));
            }

            for (var c = Labelled ? 1 : 0; c < _headers.Count; c++)
            {
                record.AddRow(Markup.Escape(_headers[c]), Markup.Escape(_rows[r][c]));
            }

            output.Write(record);
        }

        if (Caption is not null)
        {
            output.Write(new Markup(Markup.Escape(Caption) + "\n"));
        }
    }

    /// <summary>One column per header, one row per record: the usual layout.</summary>
    private Table Wide(TableBorder border)
    {
        var table = new Table().Border(border).Title(Markup.Escape(Title));
        if (Caption is not null)
        {
            table.Caption(Markup.Escape(Caption));
        }

        for (var c = 0; c < _headers.Count; c++)
        {
            var column = new TableColumn(Markup.Escape(_headers[c])).NoWrap();
            table.AddColumn(_rightAligned[c] ? column.RightAligned() : column);
        }

        foreach (var row in _rows)
        {
            table.AddRow(row.Select(Markup.Escape).ToArray());
        }

        return table;
    }

    /// <summary>One row per header, one column per record (headed by its label, if it has one).</summary>
    private Table Turned(TableBorder border)
    {
        var table = new Table().Border(border).Title(Markup.Escape(Title));
        if (Caption is not null)
        {
            table.Caption(Markup.Escape(Caption));
        }

        table.AddColumn(Labelled ? Markup.Escape(_headers[0]) : string.Empty);
        foreach (var row in _rows)
        {
            table.AddColumn(new TableColumn(Labelled ? Markup.Escape(row[0]) : string.Empty).RightAligned().NoWrap());
        }

        if (!Labelled && _rows.Count == 1)
        {
            table.HideHeaders();
        }

        for (var c = Labelled ? 1 : 0; c < _headers.Count; c++)
        {
            table.AddRow([Markup.Escape(_headers[c]), .. _rows.Select(row => Markup.Escape(row[c]))]);
        }

        return table;
    }

    /// <summary>The width of the table's widest line when nothing limits it (its title and caption wrap to the table, so they do not count).</summary>
    private static int NaturalWidth(Table table)
    {
        var title = table.Title;
        var caption = table.Caption;
        table.Title = null;
        table.Caption = null;
        try
        {
            using var text = new StringWriter();
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(text),
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
            });
            console.Profile.Width = 10_000;
            console.Write(table);
            return text.ToString().Split('\n').Max(line => line.TrimEnd('\r').Length);
        }
        finally
        {
            table.Title = title;
            table.Caption = caption;
        }
    }
}
