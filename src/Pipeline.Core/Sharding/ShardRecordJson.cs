using System.Text.Json.Serialization;

namespace Pipeline.Sharding;

/// <summary>
/// The shard record's JSON, generated at compile time (no reflection, fit for trimming and Native AOT): indented,
/// snake_case names, and strict when read back: every property present and no string null.
/// </summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(ShardRecord))]
internal sealed partial class ShardRecordJson : JsonSerializerContext;
