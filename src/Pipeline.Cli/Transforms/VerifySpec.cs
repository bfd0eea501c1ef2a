using System.CommandLine;
using Pipeline.Cli.Commands;
using Pipeline.Transforms;
using Pipeline.Verifying;

namespace Pipeline.Cli.Transforms;

/// <summary>
/// The <c>verify</c> transform for <c>run</c> and <c>compare</c>: hashes each file in the algorithm of <c>--manifest</c>
/// and writes <c>verify.txt</c> (one <c>STATUS  path</c> line per verdict), so that <c>compare verify</c> times both
/// runners and checks they reach the same verdicts. The check itself, with every verdict and exit code, is <c>pipeline verify</c>.
/// </summary>
internal sealed class VerifySpec : TransformSpec
{
    public override string Name => "verify";

    public override int DefaultChunkSize => JobOptions.DigestChunkSize;

    public override string Description => "Digest of each file in the algorithm of --manifest, joined with it into verify.txt (STATUS  path); pipeline verify is the check itself";

    public override Func<ParseResult, IFileTransform> AddOptions(Command command)
    {
        var manifest = OptionValues.Text("--manifest", "-m", "The manifest to verify against (SHA256SUMS and friends, or hashes.csv)", "file", OptionValues.PathProblem);
        manifest.Required = true;
        command.Options.Add(manifest);
        return parse =>
        {
            var path = parse.GetValue(manifest)!;
            try
            {
                return new VerifyTransform(path);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                throw new CliUsageException($"--manifest: {OptionValues.Quote(path)}: {ex.Message}");
            }
        };
    }
}
