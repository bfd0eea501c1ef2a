// docs/embedding.md's example, verbatim between the markers: ReadmeTests checks they stay the same,
// and EmbeddingExampleTests runs it.
#pragma warning disable CA1050 // The example is shown without a namespace, as a reader would paste it.
// EXAMPLE-START
using System.Buffers;
using System.Diagnostics;
using System.Threading.Tasks.Dataflow;
using Pipeline.Hashing;
using Pipeline.Reporting;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Transforms;

public static class EmbeddingExample
{
    // 1. One call: hash every CSV under `input` into `output/SHA256SUMS`.
    public static Task<RunSummary> HashCsvFilesAsync(string input, string output, CancellationToken cancellationToken = default)
    {
        var options = new PipelineOptions(new FileSelection(input) { Include = ["**/*.csv"] }, output)
        {
            MaxDegreeOfParallelism = Environment.ProcessorCount, // the CPU stage; reads and writes have IoConcurrency
        };
        return DataflowRunner.RunAsync(new HashTransform(), options, progress: null, cancellationToken);
    }

    // 2. Link the pipeline into your own Dataflow mesh: SourceFile in, FileResult out; then write the usual report.
    public static async Task<RunSummary> LinkIntoMeshAsync(string input, string output, string reportPath)
    {
        var started = Stopwatch.GetTimestamp();
        var options = new PipelineOptions(new FileSelection(input), output);
        var transform = new LineCountTransform();
        var pipeline = DataflowRunner.CreateBlock(transform, options);
        using var report = RunReport.Open(reportPath); // path,status,bytes_in,bytes_out,milliseconds,error
        var results = new List<FileResult>();
        var sink = new ActionBlock<FileResult>(result => { results.Add(result); report.Add(result); }); // as each finishes
        pipeline.LinkTo(sink, new DataflowLinkOptions { PropagateCompletion = true });
        foreach (var file in GlobFileSource.Enumerate(options.EffectiveSelection)) // leaves the output folder out
        {
            await pipeline.SendAsync(file); // waits while the pipeline is full: back pressure
        }

        pipeline.Complete();
        await sink.Completion; // after the block's own completion: every file disposed, the output folder free
        report.Commit(); // the report appears whole, or not at all
        await DataflowRunner.WriteAggregateOutputsAsync(transform, output, results); // none for this transform
        return RunSummary.FromResults(results, Stopwatch.GetElapsedTime(started));
    }
}

// 3. Your own transform: CPU work only, fed in chunks; the pipeline and the sequential runner both drive it.
public sealed class LineCountTransform : IFileTransform
{
    public string Name => "lines";
    public string Fingerprint => "lines:v1";
    public string? GetOutputPath(string relativePath) => relativePath + ".lines";
    public IFileProcessor CreateProcessor(SourceFile file) => new Counter();
    public IReadOnlyList<AggregateOutput> CreateAggregateOutputs(IReadOnlyList<FileResult> succeeded) => [];

    private sealed class Counter : IFileProcessor
    {
        private long _lines;
        public void Append(ReadOnlySpan<byte> chunk, IBufferWriter<byte> output) => _lines += chunk.Count((byte)'\n');
        public object? Complete(IBufferWriter<byte> output)
        {
            var text = System.Text.Encoding.ASCII.GetBytes($"{_lines}\n");
            output.Write(text);
            return _lines;
        }
        public void Dispose() { }
    }
}

// 4. A transform that waits (a web request, a database call): asynchronous and cancellable, many files waiting at
// once, no pool thread blocked. Each file is posted to an HTTP endpoint; the answer is its output.
public sealed class HttpPostTransform(HttpClient client, Uri endpoint) : AsyncFileTransform
{
    public override string Name => "post";
    public override string Fingerprint => "post:" + endpoint;
    public override int? MaxConcurrency => 16; // requests in flight at once, whatever MaxDegreeOfParallelism is
    public override string? GetOutputPath(string relativePath) => relativePath + ".response";

    public override async ValueTask<object?> ProcessAsync(FileWork work, CancellationToken cancellationToken)
    {
        using var content = new StreamContent(work.Input); // the file's bytes, streamed as the reader reads them
        using var response = await client.PostAsync(new Uri(endpoint, "files/" + work.File.RelativePath), content, cancellationToken);
        response.EnsureSuccessStatusCode(); // an error status fails this file alone, with its reason
        await response.Content.CopyToAsync(work.Output, cancellationToken); // written atomically when this returns
        return null;
    }
}
// EXAMPLE-END
