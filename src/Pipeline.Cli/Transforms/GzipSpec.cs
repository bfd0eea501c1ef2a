using System.CommandLine;
using Pipeline.Cli.Commands;
using Pipeline.Compression;
using Pipeline.Transforms;

namespace Pipeline.Cli.Transforms;

/// <summary>The <c>gzip</c> transform on the command line.</summary>
internal sealed class GzipSpec : TransformSpec
{
    public override string Name => "gzip";

    public override string Description => $"Compress each file, streamed, to <output>/<relative path>.gz (a standard gzip member; engine here: {new GzipTransform().Engine})";

    public override Func<ParseResult, IFileTransform> AddOptions(Command command)
    {
        var level = OptionValues.WholeNumber("--level", "-l", $"Compression level, 1 (fastest) to 9 (smallest), as zlib's (default: {GzipTransform.DefaultLevel})", 1, 9);
        command.Options.Add(level);
        return parse => new GzipTransform(parse.ValueOr(level, GzipTransform.DefaultLevel));
    }
}
