// The README's short embedding example, verbatim between each pair of markers (its usings, then its statements as a
// top-level program would hold them): ReadmeTests checks the README shows exactly this, and runs it.
// EXAMPLE-START
using Pipeline.Hashing;
using Pipeline.Running;
using Pipeline.Sources;
// EXAMPLE-END

namespace Pipeline.Tests.Embedding;

internal static class ReadmeExample
{
    /// <summary>The README's statements, with <paramref name="args"/> as a top-level program's.</summary>
    public static async Task MainAsync(string[] args)
    {
        // EXAMPLE-START
        // Hash every CSV under the first argument into SHA256SUMS in the second, through the bounded pipeline.
        string input = args[0], output = args[1];
        var options = new PipelineOptions(new FileSelection(input) { Include = ["**/*.csv"] }, output);
        var summary = await DataflowRunner.RunAsync(new HashTransform(), options);
        Console.WriteLine($"{summary.FilesSucceeded} hashed, {summary.FilesFailed} failed");

        // Or take each file's result as it is done, in walk order; leaving the loop early stops the run cleanly.
        await foreach (var result in DataflowRunner.StreamResultsAsync(new HashTransform(), options))
        {
            if (result.Status == FileStatus.Failed)
            {
                Console.WriteLine($"{result.RelativePath}: {result.ErrorKind}, {result.Error}");
            }
        }
        // EXAMPLE-END
    }
}
