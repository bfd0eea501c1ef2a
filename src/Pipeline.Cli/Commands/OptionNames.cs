using Pipeline.Running;

namespace Pipeline.Cli.Commands;

/// <summary>
/// The command line's names for the library's properties. The library names a property at fault in its own terms
/// (<see cref="PipelineOptionsProblem.Property"/>, e.g. <c>MemoryBudget</c>); the user typed a flag, so the error line names the flag.
/// </summary>
internal static class OptionNames
{
    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        ["Selection.Include"] = "--include",
        ["Selection.Exclude"] = "--exclude",
        ["MaxDegreeOfParallelism"] = "--parallelism",
        ["IoConcurrency"] = "--io-concurrency",
        ["ChunkSize"] = "--chunk-size",
        ["MemoryBudget"] = "--memory-budget",
        ["MaxErrors"] = "--max-errors",
        ["Retries"] = "--retries",
        ["Shard"] = "--shard",
        ["Select"] = "--select",
        ["Where"] = "--where",
        ["To"] = "--to",
        ["Delimiter"] = "--delimiter",
        ["OutputDelimiter"] = "--output-delimiter",
        ["HasHeader"] = "--no-header",
        ["BadRows"] = "--bad-rows",
        ["InferTypes"] = "--infer-types",
        ["PadShortRows"] = "--allow-ragged",
    };

    /// <summary>Every library property the command line exposes, with its flag.</summary>
    public static IReadOnlyDictionary<string, string> All => Flags;

    /// <summary>The flag for a library property, or <see langword="null"/> when the command line has none.</summary>
    public static string? FlagFor(string? property) => property is not null && Flags.TryGetValue(property, out var flag) ? flag : null;

    /// <summary>
    /// A library problem as an error line: <c>--flag: reason</c> when the property has a flag, else the library's own line.
    /// Rules that tie two flags together are checked while parsing, in the command line's words, so a reason shown here
    /// names no other property.
    /// </summary>
    public static string Describe(PipelineOptionsProblem problem) =>
        FlagFor(problem.Property) is { } flag ? $"{flag}: {problem.Reason}" : problem.ToString();
}
