using System.CommandLine;
using Pipeline.Cli.Commands;
using Pipeline.Compression;
using Pipeline.Running;
using Pipeline.Transforms;

namespace Pipeline.Cli.Transforms;

/// <summary>The <c>unzstd</c> transform on the command line.</summary>
internal sealed class UnzstdSpec : TransformSpec
{
    public override string Name => "unzstd";

    public override string Description => $"Decompress each *.zst file, streamed, to <output>/<relative path without .zst>; every frame, windows up to a quarter of the memory budget (engine: {ZstdTransform.Engine})";

    public override IReadOnlyList<string> DefaultInclude => ["**/*.zst"];

    public override Func<ParseResult, IFileTransform> AddOptions(Command command) => parse =>
    {
        // The memory budget is the command's own option (JobOptions), added after this one: found by name when parsed.
        var budget = command.Options.OfType<Option<int>>().FirstOrDefault(o => o.Name == "--memory-budget") is { } option
            ? (long)parse.ValueOr(option, (int)(PipelineOptions.DefaultMemoryBudget >> 20)) << 20
            : PipelineOptions.DefaultMemoryBudget;
        return new UnzstdTransform(UnzstdTransform.WindowLogFor(budget));
    };
}
