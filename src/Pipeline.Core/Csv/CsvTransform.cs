using System.Globalization;
using System.Text;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Transforms;

namespace Pipeline.Csv;

/// <summary>
/// Reads each CSV file with CsvHelper (RFC 4180, UTF-8 with or without BOM), keeps the rows that meet every
/// <see cref="CsvTransformOptions.Where"/> condition, writes the selected columns as CSV or JSON Lines, streamed, and never drops a
/// malformed row silently: it is listed in <c>bad-rows.csv</c> at the output root, or fails its file.
/// </summary>
public sealed class CsvTransform : IFileTransform, IArtifactCodec, IConcatenatedAggregates
{
    /// <summary>The aggregate list of malformed rows, at the output root.</summary>
    public const string BadRowsFileName = "bad-rows.csv";

    private readonly CsvTransformOptions _options;
    private readonly IReadOnlyList<CsvCondition> _conditions;

    /// <summary>Creates the transform.</summary>
    /// <param name="options">Settings; default: every column, every row, CSV out.</param>
    /// <exception cref="PipelineOptionsException">The options are invalid (every problem listed).</exception>
    public CsvTransform(CsvTransformOptions? options = null)
    {
        _options = options?.Clone() ?? new CsvTransformOptions(); // a copy: later changes to the caller's never reach it
        _options.Validate();
        _conditions = [.. _options.Where.Select(CsvCondition.Parse)];
    }

    /// <summary>A copy of the settings, validated (changing it changes nothing in the transform).</summary>
    public CsvTransformOptions Options => _options.Clone();

    /// <inheritdoc/>
    string IFileTransform.Name => "csv";

    /// <inheritdoc/>
    /// <remarks>Starts with the output format's version (2: every field with CR, LF, a quote or the delimiter quoted; JSON Lines keys never repeated), so a resume never keeps outputs an older version wrote differently.</remarks>
    string IFileTransform.Fingerprint => string.Create(CultureInfo.InvariantCulture,
        $"csv2:select={string.Join('\u001f', _options.Select)};where={string.Join('\u001f', _options.Where)};to={_options.To};delimiter={(int)_options.Delimiter};out={(int?)_options.OutputDelimiter};header={_options.HasHeader};bad={_options.BadRows};infer={_options.InferTypes}{(_options.PadShortRows ? ";pad" : string.Empty)}");

    /// <inheritdoc/>
    string? IFileTransform.GetOutputPath(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        if (_options.To == CsvOutputFormat.Csv)
        {
            return relativePath;
        }

        var slash = relativePath.LastIndexOf('/');
        var name = relativePath[(slash + 1)..];
        var dot = name.LastIndexOf('.');
        return relativePath[..(slash + 1)] + (dot > 0 ? name[..dot] : name) + ".jsonl";
    }

    /// <inheritdoc/>
    string? IArtifactCodec.Encode(object? artifact)
    {
        if (artifact is not CsvFileOutcome outcome)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("read", outcome.RowsRead);
            json.WriteNumber("written", outcome.RowsWritten);
            json.WriteStartArray("bad");
            foreach (var row in outcome.BadRows)
            {
                json.WriteStartArray();
                json.WriteStringValue(row.File);
                json.WriteNumberValue(row.Line);
                json.WriteStringValue(row.Reason);
                json.WriteStringValue(row.Raw);
                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <inheritdoc/>
    object? IArtifactCodec.Decode(string? text)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(text);
            var root = json.RootElement;
            var bad = root.GetProperty("bad").EnumerateArray()
                .Select(r => new BadRow(r[0].GetString()!, r[1].GetInt64(), r[2].GetString()!, r[3].GetString()!))
                .ToList();
            return new CsvFileOutcome(root.GetProperty("read").GetInt64(), root.GetProperty("written").GetInt64(), bad);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new FormatException("not a csv journal entry", ex);
        }
    }

    /// <inheritdoc/>
    IFileProcessor IFileTransform.CreateProcessor(SourceFile file) => new CsvProcessor(_options, _conditions, file);

    /// <inheritdoc/>
    /// <remarks>Always writes <c>bad-rows.csv</c> (<c>file,line,reason,raw</c>), header only when no row was bad, so a stale list never survives a clean run.</remarks>
    IReadOnlyList<AggregateOutput> IFileTransform.CreateAggregateOutputs(IReadOnlyList<FileResult> succeeded)
    {
        ArgumentNullException.ThrowIfNull(succeeded);
        using var rows = new CsvRows("file,line,reason,raw");
        foreach (var row in succeeded.Select(r => r.Artifact).OfType<CsvFileOutcome>().SelectMany(o => o.BadRows))
        {
            rows.Field(row.File).Field(row.Line).Field(row.Reason).Field(row.Raw).EndRow();
        }

        return [new AggregateOutput(BadRowsFileName, rows.TakeOut())];
    }
}
