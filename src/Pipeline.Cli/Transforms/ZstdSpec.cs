using System.CommandLine;
using Pipeline.Cli.Commands;
using Pipeline.Compression;
using Pipeline.Transforms;

namespace Pipeline.Cli.Transforms;

/// <summary>The <c>zstd</c> transform on the command line.</summary>
internal sealed class ZstdSpec : TransformSpec
{
    public override string Name => "zstd";

    public override string Description => $"Compress each file, streamed, to <output>/<relative path>.zst (zstd frames with size and checksum; engine: {ZstdTransform.Engine})";

    public override Func<ParseResult, IFileTransform> AddOptions(Command command)
    {
        var level = OptionValues.WholeNumber("--level", "-l", $"Compression level, 1 (fastest) to {ZstdTransform.MaxLevel} (smallest), as the zstd command's (default: {ZstdTransform.DefaultLevel})", 1, ZstdTransform.MaxLevel);
        command.Options.Add(level);
        return parse => new ZstdTransform(parse.ValueOr(level, ZstdTransform.DefaultLevel));
    }
}
