using System.Buffers;
using System.Text.Json;
using Pipeline.IO;

namespace Pipeline.Sharding;

/// <summary>
/// A shard's part of one aggregate output (a manifest, the list of bad rows, the report): exactly the bytes the output
/// would hold for the shard's files alone, plus an index beside it (<c>part.index</c>, JSON lines) that says which file
/// each stretch of bytes came from. The merge interleaves the parts by those paths, a stretch at a time, so the joined
/// output is byte for byte what one run writes. Both files are written atomically; the index last, so its presence
/// means the part is complete.
/// </summary>
internal sealed class IndexedPartWriter : IDisposable
{
    private const int FlushBytes = 64 * 1024;

    private readonly AtomicFileWriter _data;
    private readonly AtomicFileWriter _index;
    private readonly ArrayBufferWriter<byte> _dataBuffer = new(FlushBytes);
    private readonly ArrayBufferWriter<byte> _indexBuffer = new(FlushBytes);

    private IndexedPartWriter(AtomicFileWriter data, AtomicFileWriter index)
    {
        _data = data;
        _index = index;
    }

    /// <summary>Starts the part at <paramref name="path"/> with the output's <paramref name="header"/> (its content for no files).</summary>
    /// <param name="path">The part's path.</param>
    /// <param name="target">Which output it is a part of: its path under the output root, or an absolute path (the report).</param>
    /// <param name="header">What the output holds for no files (a CSV header, say).</param>
    /// <param name="access">Who may read the part and its index (<see langword="null"/>: the default of a new file); may change until commit.</param>
    public static IndexedPartWriter Create(string path, string target, ReadOnlySpan<byte> header, OutputAccess? access = null)
    {
        var data = AtomicFileWriter.Create(path, asynchronous: false, access);
        AtomicFileWriter? index = null;
        try
        {
            index = AtomicFileWriter.Create(path + ShardLayout.IndexSuffix, asynchronous: false, access);
            var part = new IndexedPartWriter(data, index);
            var headerLength = header.Length;
            part.Line(json =>
            {
                json.WriteString("target", target);
                json.WriteNumber("header", headerLength);
            });
            part._dataBuffer.Write(header);
            return part;
        }
        catch
        {
            index?.Dispose();
            data.Dispose();
            throw;
        }
    }

    /// <summary>Appends the bytes one file adds to the output (nothing is indexed for none).</summary>
    /// <param name="relativePath">The file's relative path; files come in ordinal order.</param>
    /// <param name="bytes">Its share of the output.</param>
    public void Write(string relativePath, ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        _dataBuffer.Write(bytes);
        var length = bytes.Length;
        Line(json =>
        {
            json.WriteString("path", relativePath);
            json.WriteNumber("bytes", length);
        });
        if (_dataBuffer.WrittenCount >= FlushBytes || _indexBuffer.WrittenCount >= FlushBytes)
        {
            WriteOut();
        }
    }

    /// <summary>Writes the rest and puts the part, then its index, in place.</summary>
    /// <summary>Who may read the part and its index once committed.</summary>
    public OutputAccess? Access
    {
        get => _data.Access;
        set => _data.Access = _index.Access = value;
    }

    public void Commit()
    {
        WriteOut();
        _data.Commit();
        _index.Commit();
    }

    /// <summary>Deletes the temporary files unless committed.</summary>
    public void Dispose()
    {
        _index.Dispose();
        _data.Dispose();
    }

    private void Line(Action<Utf8JsonWriter> write)
    {
        using (var json = new Utf8JsonWriter((IBufferWriter<byte>)_indexBuffer))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }

        _indexBuffer.Write("\n"u8);
    }

    private void WriteOut()
    {
        _data.Write(_dataBuffer.WrittenSpan);
        _dataBuffer.ResetWrittenCount();
        _index.Write(_indexBuffer.WrittenSpan);
        _indexBuffer.ResetWrittenCount();
    }
}
