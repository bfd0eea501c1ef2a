using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.IO;
using Pipeline.Safety;

namespace Pipeline.Sharding;

/// <summary>
/// What a shard that finished leaves beside its parts (<c>complete.json</c>, written atomically and last): how many files
/// it found, and how they went, and the settings that decide its outputs, which every shard of one job must share.
/// </summary>
internal sealed record ShardRecord(
    [property: JsonPropertyName("shard")] int Index,
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

    /// <summary>Writes the record atomically to <paramref name="path"/>, as indented JSON with snake_case names.</summary>
    public void Write(string path) =>
        AtomicFileWriter.WriteAll(path, [.. JsonSerializer.SerializeToUtf8Bytes(this, ShardRecordJson.Default.ShardRecord), (byte)'\n']);

    /// <summary>Reads a record.</summary>
    /// <exception cref="InvalidDataException">It is not one <see cref="Write"/> writes.</exception>
    /// <exception cref="IOException">It cannot be read.</exception>
    public static ShardRecord Read(string path)
    {
        try
        {
            // Never through a link, never waiting on a pipe; every property required, none null.
            return JsonSerializer.Deserialize(StateFile.ReadAllBytes(path), ShardRecordJson.Default.ShardRecord)
                ?? throw new JsonException("null");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not a shard's completion record ({ex.Message})", ex);
        }
    }
}
