using Pipeline.Cli.Comparing;
using Pipeline.Compression;
using Pipeline.Running;
using Pipeline.Sources;

namespace Pipeline.Cli.Benchmarking;

/// <summary>
/// The seeded sample that <c>compare</c> runs on when it is given no folder: small enough to write in a second or two,
/// big enough that each round takes a few hundred milliseconds (rounds of a tenth of a second varied by a third from run to run), so the speedup is the work's and not the start-up's.
/// </summary>
internal static class SampleCorpus
{
    private const int MiB = 1 << 20;

    /// <summary>The transforms that have a sample.</summary>
    public static readonly IReadOnlyList<string> Transforms = ["hash", "gzip", "gunzip", "csv"];

    /// <summary>Writes the sample for <paramref name="transform"/> into <paramref name="folder"/>.</summary>
    /// <returns>What was written, for the user: "384 random files of 1 MiB (403 MB, seed 42)".</returns>
    public static async Task<string> WriteAsync(string transform, string folder, int seed, CancellationToken cancellationToken)
    {
        string written;
        switch (transform)
        {
            case "csv":
                var csvBytes = SyntheticCorpus.WriteCsvFiles(folder, 8, 20_000, seed);
                written = $"8 CSV files of 20,000 rows ({Output.Units.Megabytes(csvBytes)} MB, seed {seed})";
                break;
            case "gzip" or "gunzip":
                var text = transform == "gzip" ? folder : folder + ".text";
                var textBytes = SyntheticCorpus.WriteSmallFiles(text, 48, MiB / 4, MiB / 4, 4, seed, text: true);
                written = $"48 text files of 256 KiB ({Output.Units.Megabytes(textBytes)} MB, seed {seed})";
                if (transform == "gunzip")
                {
                    await DataflowRunner.RunAsync(new GzipTransform(), new PipelineOptions(new FileSelection(text), folder) { Journal = false }, null, cancellationToken).ConfigureAwait(false);
                    Directory.Delete(text, recursive: true);
                    written = $"48 gzipped text files of 256 KiB ({Output.Units.Megabytes(textBytes)} MB uncompressed, seed {seed})";
                }

                break;
            default:
                var bytes = SyntheticCorpus.WriteSmallFiles(folder, 384, MiB, MiB, 8, seed);
                written = $"384 random files of 1 MiB ({Output.Units.Megabytes(bytes)} MB, seed {seed})";
                break;
        }

        // Let the writeback land now, not inside the first timed run.
        ProcessResources.Flush();
        return written;
    }
}
