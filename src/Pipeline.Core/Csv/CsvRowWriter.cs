using System.Buffers;
using System.Text;
using CsvHelper;
using Pipeline.IO;

namespace Pipeline.Csv;

/// <summary>
/// Writes the selected fields of each row as CSV (quoted by <see cref="CsvFieldQuoting"/>, LF line ends, UTF-8
/// without a BOM) into the output of the current chunk.
/// </summary>
internal sealed class CsvRowWriter : IDisposable
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly BufferWriterStream _outputStream;
    private readonly StreamWriter _textWriter;
    private readonly CsvWriter _csvWriter;
    private readonly int[] _selected;

    public CsvRowWriter(IBufferWriter<byte> output, int[] selected, char delimiter)
    {
        _selected = selected;
        _outputStream = new BufferWriterStream { Target = output };
        _textWriter = new StreamWriter(_outputStream, Utf8NoBom, bufferSize: 64 * 1024, leaveOpen: true);
        _csvWriter = new CsvWriter(_textWriter, CsvFieldQuoting.WriterConfiguration(delimiter, singleColumn: selected.Length == 1));
    }

    /// <summary>Directs what is written from now on to <paramref name="output"/>.</summary>
    public void SetOutput(IBufferWriter<byte> output) => _outputStream.Target = output;

    /// <summary>Writes the names of the selected columns as the first record.</summary>
    public void WriteHeader(string[] names)
    {
        foreach (var index in _selected)
        {
            _csvWriter.WriteField(names[index]);
        }

        _csvWriter.NextRecord();
    }

    public void WriteRow(string[] record)
    {
        foreach (var index in _selected)
        {
            _csvWriter.WriteField(record[index]);
        }

        _csvWriter.NextRecord();
    }

    /// <summary>Writes everything buffered to the output.</summary>
    public void Flush()
    {
        _csvWriter.Flush();
        _textWriter.Flush();
    }

    public void Dispose()
    {
        _csvWriter.Dispose();
        _textWriter.Dispose();
    }
}
