using System.Globalization;
using System.Text;
using CsvHelper;

namespace Pipeline.Csv;

/// <summary>
/// Rows of a CSV file the library writes (the run and verify reports, <c>bad-rows.csv</c>, <c>hashes.csv</c>), built in
/// memory as UTF-8 with LF line ends by the one quoting rule (<see cref="CsvFieldQuoting"/>). The rows so far are taken
/// out as bytes, to a file or a shard's part, and the buffer goes on empty, so a report of millions of rows is never held.
/// </summary>
internal sealed class CsvRows : IDisposable
{
    private readonly MemoryStream _buffer = new();
    private readonly StreamWriter _text;
    private readonly CsvWriter _csv;

    /// <summary>Starts the rows with <paramref name="header"/>, a comma-separated list of column names.</summary>
    public CsvRows(string header)
    {
        _text = new StreamWriter(_buffer, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
        _csv = new CsvWriter(_text, CsvFieldQuoting.WriterConfiguration());
        foreach (var column in header.Split(','))
        {
            _csv.WriteField(column);
        }

        _csv.NextRecord();
    }

    /// <summary>
    /// The bytes encoded and not yet taken out, without flushing: the writers hold up to a few KiB more until
    /// <see cref="TakeOut()"/>, so checking this after every row costs nothing.
    /// </summary>
    public long Length => _buffer.Length;

    /// <summary>Adds a field to the current row.</summary>
    public CsvRows Field(string value)
    {
        _csv.WriteField(value);
        return this;
    }

    /// <summary>Adds a whole number to the current row, in invariant digits.</summary>
    public CsvRows Field(long value) => Field(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Ends the current row.</summary>
    public void EndRow() => _csv.NextRecord();

    /// <summary>Hands the bytes not yet taken out to <paramref name="write"/>, then forgets them.</summary>
    public void TakeOut(Action<ReadOnlyMemory<byte>> write)
    {
        Flush();
        write(_buffer.GetBuffer().AsMemory(0, (int)_buffer.Length));
        _buffer.SetLength(0);
    }

    /// <summary>The bytes not yet taken out, as a new array; the buffer goes on empty.</summary>
    public byte[] TakeOut()
    {
        Flush();
        var bytes = _buffer.ToArray();
        _buffer.SetLength(0);
        return bytes;
    }

    /// <inheritdoc/>
    public void Dispose() => _csv.Dispose();

    private void Flush()
    {
        _csv.Flush();
        _text.Flush();
    }
}
