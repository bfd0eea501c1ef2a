namespace Pipeline.Running.Engine;

/// <summary>
/// The pipeline's schedule: the steps of each file's life (<see cref="FileJob"/>) put onto the three blocks, a batch
/// at a time. Every step turns any failure into the file's result: Dataflow would silently drop an item whose delegate
/// throws <see cref="OperationCanceledException"/>, and a bad file must fail alone, not fault the pipeline.
/// </summary>
internal sealed class BatchSteps(RunContext run)
{
    /// <summary>The reader block: admits the batch's files and reads them.</summary>
    public async Task<FileBatch> ReadBatchAsync(FileBatch batch)
    {
        foreach (var file in batch.Files)
        {
            batch.Jobs.Add(batch.Resumed ?? FileJob.Admit(run, file));
        }

        if (batch.Resumed is not null)
        {
            return batch;
        }

        // A batch of small files takes its whole share of the budget before reading any of them, so a reader never
        // waits half way through a batch while holding memory (which could stall every reader at once).
        var jobs = batch.Jobs;
        if (jobs.Count == 1 && jobs[0].File.Length > run.ChunkSize)
        {
            await jobs[0].ReadAsync(null).ConfigureAwait(false);
            return batch;
        }

        // A plain loop: a query here is JIT-compiled at every start (its generic instantiations are not precompiled).
        var shares = new long[jobs.Count];
        long total = 0;
        for (var i = 0; i < shares.Length; i++)
        {
            shares[i] = run.SmallReservation(jobs[i].File.Length, jobs[i].OutputPath is not null);
            total += shares[i];
        }

        BudgetLease? batchShare = null;
        try
        {
            batchShare = await BudgetLease.AcquireAsync(run.Budget, total, run.CancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (run.CancellationToken.IsCancellationRequested)
        {
            // Each file then comes out cancelled from its own read.
        }

        using (batchShare)
        {
            for (var i = 0; i < jobs.Count; i++)
            {
                await jobs[i].ReadAsync(batchShare?.Split(shares[i])).ConfigureAwait(false);
            }
        }

        return batch;
    }

    /// <summary>The CPU block: runs the transform over each file of the batch.</summary>
    public static async Task<FileBatch> TransformBatchAsync(FileBatch batch)
    {
        if (batch.Jobs.Count > 0 && batch.Jobs[0].WaitsForTransform)
        {
            // A transform that waits: the batch's files wait at once, as many as the run's wait slots allow (each
            // step turns its own failure into its result, so none of these tasks throws).
            var waits = new Task[batch.Jobs.Count];
            for (var i = 0; i < waits.Length; i++)
            {
                waits[i] = ProcessAndCommitAsync(batch.Jobs[i]);
            }

            await Task.WhenAll(waits).ConfigureAwait(false);
            return batch;
        }

        foreach (var job in batch.Jobs)
        {
            await job.ProcessAsync().ConfigureAwait(false);
        }

        return batch;
    }

    /// <summary>
    /// A waiting file's work, then its commit at once: such work can take minutes a file, and a run stopped part way
    /// (Ctrl+C, SIGTERM) keeps every file that finished instead of the batch's. The writer then only hands the result on.
    /// </summary>
    private static async Task ProcessAndCommitAsync(FileJob job)
    {
        await job.ProcessAsync().ConfigureAwait(false);
        await job.CommitAsync().ConfigureAwait(false);
    }

    /// <summary>The writer block: commits each file's output (unless committed already) and hands out the results.</summary>
    public static async Task<FileResult[]> WriteBatchAsync(FileBatch batch)
    {
        var results = new FileResult[batch.Jobs.Count];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = await batch.Jobs[i].CommitAsync().ConfigureAwait(false);
        }

        return results;
    }
}
