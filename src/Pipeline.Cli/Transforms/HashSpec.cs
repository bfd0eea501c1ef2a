using System.CommandLine;
using Pipeline.Cli.Commands;
using Pipeline.Hashing;
using Pipeline.Transforms;

namespace Pipeline.Cli.Transforms;

/// <summary>The <c>hash</c> transform on the command line.</summary>
internal sealed class HashSpec : TransformSpec
{
    public override string Name => "hash";

    public override int DefaultChunkSize => JobOptions.DigestChunkSize;

    /// <summary>The names <c>--algorithm</c> takes, here and in <c>verify</c>: the <see cref="HashAlgorithmKind"/> members in lower case.</summary>
    public static readonly string[] AlgorithmNames = ["sha1", "sha256", "sha384", "sha512", "md5", "blake3", "xxh128"];

    public override string Description => "Digest of each file, streamed, into one sorted manifest at the output root (SHA256SUMS, checkable with sha256sum -c; B3SUMS for b3sum, XXH128SUMS for xxh128sum)";

    /// <summary>The <c>--algorithm</c> option, with <paramref name="description"/> before the list of names.</summary>
    public static Option<string> AlgorithmOption(string description) =>
        OptionValues.Choice("--algorithm", "-a", $"{description}: {string.Join(", ", AlgorithmNames[..^1])} or {AlgorithmNames[^1]}", "name", AlgorithmNames);

    /// <summary>The algorithm a name of <see cref="AlgorithmNames"/> stands for.</summary>
    public static HashAlgorithmKind ParseAlgorithm(string name) => Enum.Parse<HashAlgorithmKind>(name, ignoreCase: true);

    public override Func<ParseResult, IFileTransform> AddOptions(Command command)
    {
        var algorithm = AlgorithmOption("Digest (default: sha256; blake3 writes B3SUMS, xxh128 XXH128SUMS)");
        var format = OptionValues.Choice("--format", null, "Manifest: sums (coreutils format, e.g. SHA256SUMS) or csv (hashes.csv: path,size,hash) (default: sums)", "format", "sums", "csv");
        command.Options.Add(algorithm);
        command.Options.Add(format);
        return parse => new HashTransform(
            ParseAlgorithm(parse.ValueOr(algorithm, "sha256")!),
            Enum.Parse<HashManifestFormat>(parse.ValueOr(format, "sums")!, ignoreCase: true));
    }
}
