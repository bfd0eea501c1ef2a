using System.Buffers;
using System.Text.Json;
using Pipeline.IO;

namespace Pipeline.Unattended;

/// <summary>
/// One line of the journal: a file that finished (<see cref="Done"/>) or failed, with what identifies its input (size,
/// last-write time), the options it ran under (<see cref="Fingerprint"/>), and what a resume hands on (bytes out, the
/// artifact). In the file, one JSON object a line; <see cref="Line"/> is its place there, which decides between two
/// entries of one path (the later wins).
/// </summary>
internal sealed record JournalEntry(string Path, long Size, long Ticks, string Fingerprint, bool Done, long BytesOut, string? Artifact)
    : ISortableRecord<JournalEntry>
{
    /// <summary>Ordinal by path (the walk's order), then by place in the journal.</summary>
    public static IComparer<JournalEntry> Order { get; } = Comparer<JournalEntry>.Create((x, y) =>
    {
        var c = Sources.PathOrder.Compare(x.Path, y.Path);
        return c != 0 ? c : x.Line.CompareTo(y.Line);
    });

    /// <summary>The entry's place in the journal it was read from (not written to the journal).</summary>
    public long Line { get; init; }

    /// <summary>Reads a journal line, the <paramref name="lineNumber"/>th; <see langword="null"/> if it is not a whole entry (a line torn by a kill, say).</summary>
    public static JournalEntry? Parse(ReadOnlySpan<byte> line, long lineNumber = 0)
    {
        try
        {
            var json = new Utf8JsonReader(line);
            if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            string? path = null, fingerprint = null, status = null, artifact = null;
            long? size = null, ticks = null, bytesOut = null;
            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                if (json.ValueTextEquals("path"u8))
                {
                    path = json.Read() ? json.GetString() : null;
                }
                else if (json.ValueTextEquals("size"u8))
                {
                    size = json.Read() ? json.GetInt64() : null;
                }
                else if (json.ValueTextEquals("mtime"u8))
                {
                    ticks = json.Read() ? json.GetInt64() : null;
                }
                else if (json.ValueTextEquals("transform"u8))
                {
                    fingerprint = json.Read() ? json.GetString() : null;
                }
                else if (json.ValueTextEquals("status"u8))
                {
                    status = json.Read() ? json.GetString() : null;
                }
                else if (json.ValueTextEquals("bytes_out"u8))
                {
                    bytesOut = json.Read() ? json.GetInt64() : null;
                }
                else if (json.ValueTextEquals("artifact"u8))
                {
                    artifact = json.Read() ? json.GetString() : null;
                }
                else
                {
                    json.Read();
                    json.Skip();
                }
            }

            return json.TokenType == JsonTokenType.EndObject && path is not null && status is not null
                && size is { } s && ticks is { } t && fingerprint is not null && bytesOut is { } b
                ? new JournalEntry(path, s, t, fingerprint, status == "done", b, artifact) { Line = lineNumber }
                : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Writes the entry as one journal line, newline included.</summary>
    public void WriteLine(IBufferWriter<byte> buffer)
    {
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("path", Path);
            json.WriteNumber("size", Size);
            json.WriteNumber("mtime", Ticks);
            json.WriteString("transform", Fingerprint);
            json.WriteString("status", Done ? "done" : "failed");
            json.WriteNumber("bytes_out", BytesOut);
            if (Artifact is not null)
            {
                json.WriteString("artifact", Artifact);
            }

            json.WriteEndObject();
        }

        buffer.Write("\n"u8);
    }

    public static JournalEntry Read(BinaryReader reader)
    {
        var path = reader.ReadString();
        var size = reader.ReadInt64();
        var ticks = reader.ReadInt64();
        var fingerprint = reader.ReadString();
        var done = reader.ReadBoolean();
        var bytesOut = reader.ReadInt64();
        var artifact = reader.ReadBoolean() ? reader.ReadString() : null;
        return new JournalEntry(path, size, ticks, fingerprint, done, bytesOut, artifact) { Line = reader.ReadInt64() };
    }

    public void Write(BinaryWriter writer)
    {
        writer.Write(Path);
        writer.Write(Size);
        writer.Write(Ticks);
        writer.Write(Fingerprint);
        writer.Write(Done);
        writer.Write(BytesOut);
        writer.Write(Artifact is not null);
        if (Artifact is not null)
        {
            writer.Write(Artifact);
        }

        writer.Write(Line);
    }
}
