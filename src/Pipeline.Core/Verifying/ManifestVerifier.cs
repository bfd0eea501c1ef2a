using System.Diagnostics;
using Microsoft.Extensions.FileSystemGlobbing;
using Pipeline.IO;
using Pipeline.Running;
using Pipeline.Sources;

namespace Pipeline.Verifying;

/// <summary>
/// Checks a tree against a manifest: hashes the selected files through the pipeline (or the sequential runner) in the
/// manifest's algorithm and says of each path whether it is OK, FAILED, MISSING, UNREADABLE, NEW or MOVED.
/// </summary>
/// <remarks>
/// Memory is bounded whatever the size of the manifest or the tree: the manifest's entries and the files' digests each
/// go through a bounded external sort (<see cref="RecordSorter.DefaultRunLength"/> records in memory, more spilled to
/// sorted runs in a temporary folder), so a manifest in any order is joined with the walk as two sorted streams.
/// A sorted manifest, which <c>pipeline run hash</c> always writes, is never re-sorted in memory. Only the changes
/// (missing entries and new files) are kept until the end, to pair them into MOVED.
/// </remarks>
public static class ManifestVerifier
{
    /// <summary>Verifies the tree of <paramref name="options"/>' selection against <paramref name="manifestPath"/>.</summary>
    /// <param name="manifestPath">A coreutils manifest (<c>SHA256SUMS</c>, <c>SHA1SUMS</c>, <c>SHA384SUMS</c>, <c>SHA512SUMS</c>, <c>MD5SUMS</c>, or any
    /// name: the algorithm then comes from the digests' length) or a <c>hashes.csv</c>. Never read as one of the tree's files.</param>
    /// <param name="options">What to read (the selection: manifest entries outside it are not checked) and how much at once.
    /// Its <see cref="PipelineOptions.OutputRoot"/> is not used: nothing is written but temporary files, removed at the end.</param>
    /// <param name="sequential">Whether to hash with <see cref="SequentialRunner"/> (one file at a time) instead of <see cref="FilePipeline"/>. Default: false.</param>
    /// <param name="progress">Told as files are hashed (files, bytes, for an ETA), as by the runner. Default: none.</param>
    /// <param name="results">Told each verdict, one at a time, in ordinal path order for OK, FAILED and UNREADABLE, then the
    /// MOVED, MISSING and NEW ones in ordinal path order. Default: none.</param>
    /// <param name="cancellationToken">Stops hashing; then no verdict is given and <see cref="VerifySummary.Cancelled"/> is set.</param>
    /// <returns>The counts of each verdict.</returns>
    /// <exception cref="ArgumentException"><paramref name="manifestPath"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">The manifest does not exist (thrown synchronously).</exception>
    /// <exception cref="InvalidDataException">The manifest has no properly formatted line (thrown synchronously, or from the task when no line has the algorithm's digest length).</exception>
    /// <exception cref="PipelineOptionsException">The options are invalid; nothing was read (thrown synchronously).</exception>
    public static Task<VerifySummary> VerifyAsync(
        string manifestPath,
        PipelineOptions options,
        bool sequential = false,
        IProgress<RunProgress>? progress = null,
        IProgress<VerifyResult>? results = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(manifestPath);
        ArgumentNullException.ThrowIfNull(options);
        var manifest = ManifestReader.Open(manifestPath);
        var scratch = Path.Join(Path.GetTempPath(), "pipeline-verify-" + Guid.NewGuid().ToString("N")[..16]);
        var run = options with
        {
            OutputRoot = Path.Join(scratch, "out"),
            Journal = false,
            Resume = false,
            Selection = options.Selection with { ExcludedFiles = [.. options.Selection.ExcludedFiles, manifest.FullPath] },
        };
        run.Validate();
        return Task.Run(() => VerifyCoreAsync(manifest, run, scratch, sequential, progress, results, cancellationToken), CancellationToken.None);
    }

    private static async Task<VerifySummary> VerifyCoreAsync(ManifestReader manifest, PipelineOptions options, string scratch, bool sequential, IProgress<RunProgress>? progress, IProgress<VerifyResult>? results, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var entries = new RecordSorter<JoinRecord>(Path.Join(scratch, "manifest"));
            using var files = new RecordSorter<JoinRecord>(Path.Join(scratch, "files"));
            var selected = Selector(options.Selection);
            foreach (var entry in manifest.ReadEntries(cancellationToken))
            {
                if (selected(entry.Path))
                {
                    entries.Add(new JoinRecord(entry.Path, entry.Digest, null, 0, entry.Line));
                }
            }

            if (manifest.Entries == 0)
            {
                throw new InvalidDataException($"{manifest.FullPath}: no properly formatted {manifest.Algorithm.ToString().ToUpperInvariant()} checksum lines found");
            }

            var summary = new VerifySummary { Algorithm = manifest.Algorithm, ManifestEntries = manifest.Entries, MalformedLines = manifest.MalformedLines };
            var gate = new Lock();
            var collect = new Progress(p =>
            {
                if (p.LastResult is { } r)
                {
                    lock (gate)
                    {
                        switch (r.Status)
                        {
                            case FileStatus.Succeeded:
                                files.Add(new JoinRecord(r.RelativePath, r.Artifact as byte[], null, r.BytesIn, 0));
                                summary.BytesRead += r.BytesIn;
                                break;
                            case FileStatus.Failed:
                                files.Add(new JoinRecord(r.RelativePath, null, r.Error ?? "could not be read", 0, 0));
                                break;
                        }
                    }
                }

                progress?.Report(p);
            });

            var transform = new VerifyTransform(manifest, writesVerdicts: false);
            // The results are taken from progress as they come: the run keeps none of them.
            var flat = options with { KeepResults = false };
            var run = sequential
                ? await SequentialRunner.RunAsync(transform, flat, collect, cancellationToken).ConfigureAwait(false)
                : await FilePipeline.RunAsync(transform, flat, collect, cancellationToken).ConfigureAwait(false);
            if (run.Cancelled || cancellationToken.IsCancellationRequested)
            {
                summary.Cancelled = true;
                summary.Elapsed = Stopwatch.GetElapsedTime(started);
                return summary;
            }

            foreach (var verdict in VerifyJoin.Join(entries.Sorted(), files.Sorted()))
            {
                summary.Count(verdict.Status);
                results?.Report(verdict);
            }

            summary.Elapsed = Stopwatch.GetElapsedTime(started);
            return summary;
        }
        finally
        {
            try
            {
                Directory.Delete(scratch, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }

    /// <summary>Whether a listed path is within the selection's include and exclude patterns (the rules of the walk).</summary>
    private static Func<string, bool> Selector(FileSelection selection)
    {
        if (selection.Exclude.Count == 0 && selection.Include.All(p => p is FileSelection.AllFiles or "**"))
        {
            return _ => true;
        }

        var matcher = new Matcher(OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        matcher.AddIncludePatterns(selection.Include);
        matcher.AddExcludePatterns(selection.Exclude);
        return path => matcher.Match(path).HasMatches;
    }

    /// <summary>Runs the handler on the reporting thread (not a captured context), as the runners expect.</summary>
    private sealed class Progress(Action<RunProgress> handler) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => handler(value);
    }
}
