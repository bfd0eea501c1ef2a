// The embedding example of results as an async stream, shown in docs/embedding.md: StreamingExampleTests runs it, and
// ReadmeTests checks that the page shows the text between the markers.
#pragma warning disable CA1050 // The example is shown without a namespace, as a reader would paste it.
// STREAMING-EXAMPLE-START
using Pipeline.Compression;
using Pipeline.Running;
using Pipeline.Sources;

public static class StreamingExample
{
    // 5. Results as an async stream, in walk order, at the pace of the loop. Switch on what went wrong; leave the loop
    // (break, return, an exception, the token) and the run stops: files in flight are abandoned, no partial output is
    // left and the output folder is unlocked before the loop is left.
    public static async Task<IReadOnlyList<string>> GunzipUntilBadDataAsync(string input, string output, TextWriter log, CancellationToken cancellationToken = default)
    {
        var options = new PipelineOptions(new FileSelection(input) { Include = ["**/*.gz"] }, output);
        var written = new List<string>();
        await foreach (var result in DataflowRunner.StreamResultsAsync(new GunzipTransform(), options, cancellationToken))
        {
            switch (result.ErrorKind)
            {
                case FileErrorKind.None:
                    written.Add(result.RelativePath);
                    break;
                case FileErrorKind.NotFound or FileErrorKind.ChangedDuringRun:
                    await log.WriteLineAsync($"skipped {result.RelativePath}: {result.Error}"); // moved while we ran
                    break;
                case FileErrorKind.BadData:
                    await log.WriteLineAsync($"stopped at {result.RelativePath}: {result.Error}");
                    return written; // leaves the loop: the run stops here
                default:
                    throw new IOException($"{result.RelativePath}: {result.Error}", result.Exception); // and so does this
            }
        }

        return written;
    }
}
// STREAMING-EXAMPLE-END
