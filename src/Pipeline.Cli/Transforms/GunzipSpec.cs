using System.CommandLine;
using Pipeline.Compression;
using Pipeline.Transforms;

namespace Pipeline.Cli.Transforms;

/// <summary>The <c>gunzip</c> transform on the command line.</summary>
internal sealed class GunzipSpec : TransformSpec
{
    public override string Name => "gunzip";

    public override string Description => "Decompress each *.gz file, streamed, to <output>/<relative path without .gz>; multi-member files in full";

    public override IReadOnlyList<string> DefaultInclude => ["**/*.gz"];

    public override Func<ParseResult, IFileTransform> AddOptions(Command command) => _ => new GunzipTransform();
}
