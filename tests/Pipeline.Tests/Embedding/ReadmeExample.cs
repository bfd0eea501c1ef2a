// The README's short embedding example, verbatim between each pair of markers (its usings, its statements as a
// top-level program would hold them, then its transform): ReadmeTests checks the README shows exactly this, and runs it.
// EXAMPLE-START
using System.Threading.Tasks.Dataflow;
using Pipeline.Hashing;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Transforms;
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

        // Or link the pipeline into your own Dataflow mesh: SourceFile in, FileResult out as each file finishes.
        var upper = new PipelineOptions(new FileSelection(input) { Include = ["**/*.txt"] }, output + "-upper");
        var block = DataflowRunner.CreateBlock(new UpperCase(), upper);
        var print = new ActionBlock<FileResult>(r => Console.WriteLine($"{r.RelativePath}: {r.Status}"));
        block.LinkTo(print, new DataflowLinkOptions { PropagateCompletion = true });
        foreach (var file in GlobFileSource.Enumerate(upper.EffectiveSelection))
        {
            await block.SendAsync(file); // waits while the pipeline is full: back pressure
        }

        block.Complete();
        await print.Completion;
        // EXAMPLE-END
    }
}

// EXAMPLE-START
// Your own transform: work per file that waits (here in memory; an HTTP call or a database query alike).
sealed class UpperCase : AsyncFileTransform
{
    public override string Name => "upper";
    public override string Fingerprint => "upper:1";
    public override string? GetOutputPath(string relativePath) => relativePath + ".up";
    public override async ValueTask<object?> ProcessAsync(FileWork work, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(work.Input);
        var text = await reader.ReadToEndAsync(cancellationToken);
        await work.Output.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text.ToUpperInvariant()), cancellationToken);
        return null;
    }
}
// EXAMPLE-END
