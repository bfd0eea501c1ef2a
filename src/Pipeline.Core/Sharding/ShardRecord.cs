using System.Text.Json;
using Pipeline.IO;
using Pipeline.Safety;

namespace Pipeline.Sharding;

/// <summary>
/// What a shard that finished leaves beside its parts (<c>complete.json</c>, written atomically and last): how many files
/// it found, and how they went, and the settings that decide its outputs, which every shard of one job must share.
/// </summary>
internal sealed record ShardRecord(
    int Index,
    int Count,
    string Transform,
    string Fingerprint,
    string Input,
    IReadOnlyList<string> Include,
    IReadOnlyList<string> Exclude,
    bool FollowSymlinks,
    IReadOnlyList<string> Outputs,
    long Found,
    long Succeeded,
    long Failed,
    long Skipped)
{
    /// <summary>The first setting in which <paramref name="other"/> differs from this record, as "what: this vs other", or <see langword="null"/>.</summary>
    public string? Difference(ShardRecord other)
    {
        static string List(IReadOnlyList<string> items) => items.Count == 0 ? "(none)" : string.Join(" ", items);
        return Fingerprint != other.Fingerprint ? $"transform {Fingerprint} vs {other.Fingerprint}"
            : Input != other.Input ? $"input {Input} vs {other.Input}"
            : !Include.SequenceEqual(other.Include, StringComparer.Ordinal) ? $"include {List(Include)} vs {List(other.Include)}"
            : !Exclude.SequenceEqual(other.Exclude, StringComparer.Ordinal) ? $"exclude {List(Exclude)} vs {List(other.Exclude)}"
            : FollowSymlinks != other.FollowSymlinks ? $"follow symlinks {FollowSymlinks} vs {other.FollowSymlinks}"
            : !Outputs.SequenceEqual(other.Outputs, StringComparer.Ordinal) ? $"outputs {List(Outputs)} vs {List(other.Outputs)}"
            : null;
    }

    /// <summary>Writes the record atomically to <paramref name="path"/>.</summary>
    public void Write(string path)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("shard", Index);
            json.WriteNumber("count", Count);
            json.WriteString("transform", Transform);
            json.WriteString("fingerprint", Fingerprint);
            json.WriteString("input", Input);
            WriteList(json, "include", Include);
            WriteList(json, "exclude", Exclude);
            json.WriteBoolean("follow_symlinks", FollowSymlinks);
            WriteList(json, "outputs", Outputs);
            json.WriteNumber("found", Found);
            json.WriteNumber("succeeded", Succeeded);
            json.WriteNumber("failed", Failed);
            json.WriteNumber("skipped", Skipped);
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        AtomicFileWriter.WriteAll(path, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>Reads a record.</summary>
    /// <exception cref="InvalidDataException">It is not one <see cref="Write"/> writes.</exception>
    /// <exception cref="IOException">It cannot be read.</exception>
    public static ShardRecord Read(string path)
    {
        try
        {
            using var json = JsonDocument.Parse(StateFile.ReadAllBytes(path)); // never through a link, never waiting on a pipe
            var root = json.RootElement;
            return new ShardRecord(
                root.GetProperty("shard").GetInt32(),
                root.GetProperty("count").GetInt32(),
                root.GetProperty("transform").GetString()!,
                root.GetProperty("fingerprint").GetString()!,
                root.GetProperty("input").GetString()!,
                ReadList(root, "include"),
                ReadList(root, "exclude"),
                root.GetProperty("follow_symlinks").GetBoolean(),
                ReadList(root, "outputs"),
                root.GetProperty("found").GetInt64(),
                root.GetProperty("succeeded").GetInt64(),
                root.GetProperty("failed").GetInt64(),
                root.GetProperty("skipped").GetInt64());
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: not a shard's completion record ({ex.Message})", ex);
        }
    }

    private static void WriteList(Utf8JsonWriter json, string name, IReadOnlyList<string> items)
    {
        json.WriteStartArray(name);
        foreach (var item in items)
        {
            json.WriteStringValue(item);
        }

        json.WriteEndArray();
    }

    private static string[] ReadList(JsonElement root, string name) =>
        [.. root.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];
}
