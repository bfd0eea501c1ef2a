using System.Threading.Channels;

namespace Pipeline.Running.Engine;

/// <summary>Hands each ordered result of a streamed run to its reader's channel, after the embedder's own <see cref="PipelineOptions.Results"/>.</summary>
internal sealed class ChannelResults(ChannelWriter<FileResult> writer, IProgress<FileResult>? also) : IProgress<FileResult>
{
    public void Report(FileResult value)
    {
        also?.Report(value);

        // Unbounded: never refused while the run is open (see ConsumerWindow for what bounds it).
        writer.TryWrite(value);
    }
}
