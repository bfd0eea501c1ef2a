using System.Text;
using System.Text.Json;
using Pipeline.IO;
using Pipeline.Safety;

namespace Pipeline.Sharding;

/// <summary>
/// Reads a part written by <see cref="IndexedPartWriter"/>, one file's stretch at a time, in order. Anything that does
/// not add up (an index out of order, lengths that do not match the part) is an <see cref="InvalidDataException"/>
/// naming the file: a part is only ever joined whole and as written.
/// </summary>
internal sealed class IndexedPartReader : IDisposable
{
    private readonly string _path;
    private readonly FileStream _data;
    private readonly StreamReader _index;
    private int _line = 1;

    private IndexedPartReader(string path, FileStream data, StreamReader index, string target, byte[] header)
    {
        _path = path;
        _data = data;
        _index = index;
        Target = target;
        Header = header;
    }

    /// <summary>Which output this is a part of.</summary>
    public string Target { get; }

    /// <summary>The output's content for no files, at the start of the part.</summary>
    public byte[] Header { get; }

    /// <summary>The relative path of the current stretch (after <see cref="MoveNext"/> returned true).</summary>
    public string Path { get; private set; } = string.Empty;

    /// <summary>The current stretch's length in bytes.</summary>
    public long Length { get; private set; }

    /// <summary>Whether the part and its index both exist (a part without its index was never finished).</summary>
    public static bool Exists(string path) => File.Exists(path) && File.Exists(path + ShardLayout.IndexSuffix);

    /// <summary>Opens a part and reads its header and its index's first line.</summary>
    /// <exception cref="InvalidDataException">The index is not one <see cref="IndexedPartWriter"/> writes.</exception>
    /// <exception cref="IOException">Either file cannot be read.</exception>
    public static IndexedPartReader Open(string path)
    {
        // A shard's own files: never read through a link or from a pipe, which would block the merge.
        var data = StateFile.OpenStream(path, FileMode.Open, FileAccess.Read, bufferSize: 0);
        StreamReader? index = null;
        try
        {
            index = new StreamReader(StateFile.OpenStream(path + ShardLayout.IndexSuffix, FileMode.Open, FileAccess.Read), Encoding.UTF8);
            var (target, header) = Parse(index.ReadLine(), path, 1, root => (root.GetProperty("target").GetString()!, root.GetProperty("header").GetInt64()));
            if (header < 0 || header > data.Length)
            {
                throw new InvalidDataException($"{path}{ShardLayout.IndexSuffix}: a header of {header} bytes does not fit a part of {data.Length}");
            }

            var bytes = new byte[header];
            data.ReadExactly(bytes);
            return new IndexedPartReader(path, data, index, target, bytes);
        }
        catch
        {
            index?.Dispose();
            data.Dispose();
            throw;
        }
    }

    /// <summary>Moves to the next stretch; false at the end of the index, once the part's bytes are all accounted for.</summary>
    /// <exception cref="InvalidDataException">The index is out of order or does not add up to the part's length.</exception>
    public bool MoveNext()
    {
        var previous = Path;
        var line = _index.ReadLine();
        _line++;
        if (line is null)
        {
            if (_data.Position != _data.Length)
            {
                throw new InvalidDataException($"{_path}: its index accounts for {_data.Position} of its {_data.Length} bytes");
            }

            return false;
        }

        (Path, Length) = Parse(line, _path, _line, root => (root.GetProperty("path").GetString()!, root.GetProperty("bytes").GetInt64()));
        if (Length <= 0 || Length > _data.Length - _data.Position)
        {
            throw new InvalidDataException($"{_path}{ShardLayout.IndexSuffix} line {_line}: {Length} bytes for {Path} do not fit the part");
        }

        if (_line > 2 && Sources.PathOrder.Compare(previous, Path) >= 0)
        {
            throw new InvalidDataException($"{_path}{ShardLayout.IndexSuffix} line {_line}: {Path} is out of order (after {previous})");
        }

        return true;
    }

    /// <summary>Copies the current stretch to <paramref name="output"/>.</summary>
    public void CopyTo(AtomicFileWriter output, byte[] buffer)
    {
        var left = Length;
        while (left > 0)
        {
            var n = _data.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (n == 0)
            {
                throw new InvalidDataException($"{_path}: it ended while {left} bytes of {Path} were still due");
            }

            output.Write(buffer.AsSpan(0, n));
            left -= n;
        }
    }

    public void Dispose()
    {
        _index.Dispose();
        _data.Dispose();
    }

    private static T Parse<T>(string? line, string path, int number, Func<JsonElement, T> read)
    {
        try
        {
            using var json = JsonDocument.Parse(line ?? throw new InvalidDataException($"{path}{ShardLayout.IndexSuffix}: empty"));
            return read(json.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}{ShardLayout.IndexSuffix} line {number}: not an index line ({ex.Message})", ex);
        }
    }
}
