using System.Buffers;
using Pipeline.IO;
using Pipeline.Transforms;

namespace Pipeline.Running.Engine;

/// <summary>A file's life, continued: a streamed file whose chunks the transform processes apart (see <see cref="IIndependentChunks"/>).</summary>
internal sealed partial class FileJob
{
    /// <summary>
    /// Chunks come in (read ahead, in the pipeline) and each is processed on its own, with the bytes before it as its
    /// history: in the pipeline up to <see cref="RunContext.ChunksInFlight"/> at once on the thread pool, in the
    /// sequential runner one at a time on this thread. Their outputs are written in file order as they finish.
    /// </summary>
    private async ValueTask StreamChunksAsync(IIndependentChunks transform)
    {
        var chunks = _chunks!;
        var output = _output!;
        // A digest's chunks have no output to write (see IIndependentChunks.Splits).
        var writer = OutputPath is null ? null : _writer ??= CreateWriter(OutputPath);
        var processor = transform.CreateChunkProcessor(File);
        var limit = _run.ChunksInFlight(transform, writer is not null);
        var inFlight = new Queue<ChunkWork>(limit);
        var history = new ChunkHistory(transform.HistoryLength);
        try
        {
            processor.Begin(output);
            await WriteOutAsync(writer, output.WrittenMemory).ConfigureAwait(false);
            output.Clear();
            var ended = false;
            var offset = 0L;
            while (true)
            {
                while (!ended && inFlight.Count < limit)
                {
                    if (await chunks.ReadAsync(Token).ConfigureAwait(false) is not { } chunk)
                    {
                        ended = true;
                        break;
                    }

                    _run.Counters?.Read(chunk.Length);
                    var work = new ChunkWork(chunk, offset, new PooledBufferWriter(_lease) { Prepaid = writer is null ? 0 : _run.ChunkOutputPrepaid });
                    offset += chunk.Length;
                    inFlight.Enqueue(work);
                    work.Start(processor, history, _run, Token);
                }

                if (!inFlight.TryPeek(out var oldest))
                {
                    break;
                }

#pragma warning disable VSTHRD003 // The chunk's work was started above, by this method.
                var check = await oldest.Completion.ConfigureAwait(false);
#pragma warning restore VSTHRD003
                await WriteOutAsync(writer, oldest.Output.WrittenMemory).ConfigureAwait(false);
                processor.Join(check);
                inFlight.Dequeue().Dispose();
            }

            _artifact = processor.Complete(output);
            _bytesIn = chunks.BytesRead;
        }
        finally
        {
            // A chunk's buffers go back to the pool only once nothing computes on them any more.
            while (inFlight.TryDequeue(out var work))
            {
#pragma warning disable VSTHRD003 // As above.
                await ((Task)work.Completion).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
#pragma warning restore VSTHRD003
                work.Dispose();
            }

            history.Dispose();
            _chunks = null;
            await chunks.DisposeAsync().ConfigureAwait(false);
            _lease?.Shrink(_streamHeld);
            _streamHeld = 0;
        }
    }

    /// <summary>One chunk processed apart: its buffer, a copy of its history, its own output, and the work that computes it.</summary>
    private sealed class ChunkWork(ChunkReader.Chunk chunk, long offset, PooledBufferWriter output) : IDisposable
    {
        private byte[]? _history;
        private int _historyLength;

        public PooledBufferWriter Output => output;

        public Task<ChunkCheck> Completion { get; private set; } = Task.FromResult(default(ChunkCheck));

        /// <summary>
        /// Takes the history as it stands before this chunk, adds the chunk to it, and starts the work: in the pipeline on
        /// the thread pool once one of the run's cores is free, in the sequential runner here and now.
        /// </summary>
        public void Start(IChunkProcessor processor, ChunkHistory history, RunContext run, CancellationToken cancellationToken)
        {
            _history = history.Copy(out _historyLength);
            history.Append(chunk.Buffer.AsSpan(0, chunk.Length));
            if (!run.Sequential)
            {
                Completion = Task.Run(
                    async () =>
                    {
                        using (await run.TakeCoreAsync(cancellationToken).ConfigureAwait(false))
                        {
                            return Process(processor);
                        }
                    },
                    CancellationToken.None);
                return;
            }

            try
            {
                Completion = Task.FromResult(Process(processor));
            }
            catch (Exception ex)
            {
                Completion = Task.FromException<ChunkCheck>(ex);
            }
        }

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(chunk.Buffer);
            if (_history is { } history)
            {
                ArrayPool<byte>.Shared.Return(history);
                _history = null;
            }

            output.Dispose();
        }

        private ChunkCheck Process(IChunkProcessor processor) =>
            processor.Process(offset, _history.AsSpan(0, _historyLength), chunk.Buffer.AsSpan(0, chunk.Length), output);
    }
}
