using System.CommandLine;
using Pipeline.Cli.Commands;
using Pipeline.Hashing;
using Pipeline.Transforms;

namespace Pipeline.Cli.Transforms;

/// <summary>The <c>hash</c> transform on the command line.</summary>
internal sealed class HashSpec : TransformSpec
{
    public override string Name => "hash";

    public override string Description => "Digest of each file, streamed, into one sorted manifest at the output root (SHA256SUMS, checkable with sha256sum -c)";

    public override Func<ParseResult, IFileTransform> AddOptions(Command command)
    {
        var algorithm = OptionValues.Choice("--algorithm", "-a", "Digest: sha1, sha256, sha384, sha512 or md5 (default: sha256)", "name", "sha1", "sha256", "sha384", "sha512", "md5");
        var format = OptionValues.Choice("--format", null, "Manifest: sums (coreutils format, e.g. SHA256SUMS) or csv (hashes.csv: path,size,hash) (default: sums)", "format", "sums", "csv");
        command.Options.Add(algorithm);
        command.Options.Add(format);
        return parse => new HashTransform(
            Enum.Parse<HashAlgorithmKind>(parse.ValueOr(algorithm, "sha256")!, ignoreCase: true),
            Enum.Parse<HashManifestFormat>(parse.ValueOr(format, "sums")!, ignoreCase: true));
    }
}
