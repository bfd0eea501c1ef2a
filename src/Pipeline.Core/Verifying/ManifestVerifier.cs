using System.Diagnostics;
using Microsoft.Extensions.FileSystemGlobbing;
using Pipeline.Hashing;
using Pipeline.IO;
using Pipeline.Running;
using Pipeline.Sources;

namespace Pipeline.Verifying;

/// <summary>
/// Checks a tree against a manifest: hashes the selected files through the pipeline (or the sequential runner) in the
/// manifest's algorithm and says of each path whether it is OK, FAILED, MISSING, UNREADABLE, NEW or MOVED.
/// </summary>
/// <remarks>
/// Memory is bounded whatever the size of the manifest or the tree, and the check streams: the runner hands on each
/// file's digest in ordinal path order, and the join pulls the manifest's entries in the same order as they come. A
/// manifest already in that order (<c>pipeline run hash</c> always writes one, and so does <c>find | LC_ALL=C sort</c>)
/// is read a second time as the files come, entry by entry; any other first goes through a bounded external sort
/// (<see cref="IO.RecordSorter.DefaultRunLength"/> entries in memory, more spilled to sorted runs in a temporary folder).
/// Only the changes (missing entries and new files) are kept until the end, to pair them into MOVED.
/// </remarks>
public static class ManifestVerifier
{
    /// <summary>Verifies the tree of <paramref name="options"/>' selection against <paramref name="manifestPath"/>.</summary>
    /// <param name="manifestPath">A coreutils manifest (<c>SHA256SUMS</c>, <c>SHA1SUMS</c>, <c>SHA384SUMS</c>, <c>SHA512SUMS</c>, <c>MD5SUMS</c>, or any
    /// name: the algorithm then comes from the digests' length) or a <c>hashes.csv</c>. Never read as one of the tree's files.</param>
    /// <param name="options">What to read (the selection: manifest entries outside it are not checked) and how much at once.
    /// Its <see cref="PipelineOptions.OutputRoot"/> is not used: nothing is written but temporary files, removed at the end;
    /// its <see cref="PipelineOptions.Results"/>, if any, is told each file's result before the verdict on it.</param>
    /// <param name="sequential">Whether to hash with <see cref="SequentialRunner"/> (one file at a time) instead of <see cref="DataflowRunner"/>. Default: false.</param>
    /// <param name="progress">Told as files are hashed (files, bytes, for an ETA), as by the runner. Default: none.</param>
    /// <param name="results">Told each verdict, one at a time: OK, FAILED and UNREADABLE as the files are hashed, in ordinal
    /// path order; then, once every file is, the MOVED, MISSING and NEW ones in ordinal path order. Default: none.</param>
    /// <param name="algorithm">The manifest's algorithm; default: the one its name says (<c>B3SUMS</c>, ...), else its tagged
    /// lines', else the one its digests' length says (SHA-256 for 64 hex digits, though BLAKE3's are as long; MD5 for 32,
    /// though XXH128's are as long).</param>
    /// <param name="cancellationToken">Stops hashing; then <see cref="VerifySummary.Cancelled"/> is set, and of the verdicts only
    /// those on files already hashed have been given (no MISSING, NEW or MOVED: what was not read cannot be called missing).</param>
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
        HashAlgorithmKind? algorithm = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(manifestPath);
        ArgumentNullException.ThrowIfNull(options);
        var manifest = ManifestReader.Open(manifestPath, algorithm);
        var scratch = TempFolder.NewPath("pipeline-verify-");
        var run = options.Clone();
        run.OutputRoot = Path.Join(scratch, "out");
        run.Journal = false;
        run.Resume = false;
        run.Selection.ExcludedFiles = [.. options.Selection.ExcludedFiles, manifest.FullPath]; // the copy's own selection
        run.Validate();
        return Task.Run(() => VerifyCoreAsync(manifest, run, scratch, sequential, progress, results, cancellationToken), CancellationToken.None);
    }

    private static async Task<VerifySummary> VerifyCoreAsync(ManifestReader manifest, PipelineOptions options, string scratch, bool sequential, IProgress<RunProgress>? progress, IProgress<VerifyResult>? results, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            // A manifest no longer than one of the external sort's runs is read once, and held (sorted, if it must be) as
            // the sort would hold it: a short check then starts hashing after one reading, not two. A longer one is read
            // a first time to count its lines and learn whether they are in ordinal order, keeping nothing.
            var selected = Selector(options.Selection);
            var held = ReadWhole(manifest, selected, RecordSorter.DefaultRunLength, cancellationToken);
            if (held is null)
            {
                foreach (var _ in manifest.ReadEntries(digests: false, cancellationToken))
                {
                }
            }

            if (manifest.Entries == 0)
            {
                throw new InvalidDataException($"{manifest.FullPath}: no properly formatted {manifest.Algorithm.ToString().ToUpperInvariant()} checksum lines found");
            }

            var summary = new VerifySummary { Algorithm = manifest.Algorithm, AlgorithmGuessed = manifest.AlgorithmGuessed, ManifestEntries = manifest.Entries, MalformedLines = manifest.MalformedLines };
            var listed = Listed(manifest, selected, cancellationToken);

            // The run hands on its results in ordinal path order, so a long sorted manifest is read a second time as the
            // files come, and joined as a stream. Only an unsorted one goes through the external sort first.
            using var sorter = held is not null || manifest.Sorted ? null : new RecordSorter<JoinRecord>(Path.Join(scratch, "manifest"));
            if (sorter is not null)
            {
                foreach (var entry in listed)
                {
                    sorter.Add(entry);
                }
            }

            using var join = new VerifyJoin(held ?? sorter?.Sorted() ?? InOrder(listed, manifest.FullPath), verdict =>
            {
                summary.Count(verdict.Status);
                results?.Report(verdict);
            });

            // Results come one call at a time, in ordinal path order; the run keeps none of them.
            var files = new Handler<FileResult>(r =>
            {
                options.Results?.Report(r);
                switch (r.Status)
                {
                    case FileStatus.Succeeded:
                        join.Add(r.RelativePath, r.Artifact as byte[], null, r.BytesIn);
                        summary.BytesRead += r.BytesIn;
                        break;
                    case FileStatus.Failed:
                        join.Add(r.RelativePath, null, r.Error ?? "could not be read", 0);
                        break;
                }
            });

            var transform = new VerifyTransform(manifest, writesVerdicts: false);
            var flat = options.Clone();
            flat.KeepResults = false;
            flat.Results = files;
            var run = sequential
                ? await SequentialRunner.RunAsync(transform, flat, progress, cancellationToken).ConfigureAwait(false)
                : await DataflowRunner.RunAsync(transform, flat, progress, cancellationToken).ConfigureAwait(false);
            if (run.Cancelled || cancellationToken.IsCancellationRequested)
            {
                summary.Cancelled = true;
                summary.Elapsed = Stopwatch.GetElapsedTime(started);
                return summary;
            }

            join.Complete();
            summary.SymbolicLinksNotFollowed = run.SymbolicLinksNotFollowed;
            summary.Elapsed = Stopwatch.GetElapsedTime(started);
            return summary;
        }
        finally
        {
            RemoveScratch(scratch);
        }
    }

    /// <summary>
    /// Removes the scratch folder: its empty folders one by one (a recursive delete compiles its generic walk at run
    /// time, a visible share of a short check's start), and recursively only if something was left in it.
    /// </summary>
    private static void RemoveScratch(string scratch)
    {
        try
        {
            foreach (var folder in (string[])[Path.Join(scratch, "out"), Path.Join(scratch, "manifest"), scratch])
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder);
                }
            }
        }
        catch (IOException) when (Directory.Exists(scratch))
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>The manifest's entries within the selection, in file order, as join records.</summary>
    private static IEnumerable<JoinRecord> Listed(ManifestReader manifest, Func<string, bool> selected, CancellationToken cancellationToken)
    {
        foreach (var entry in manifest.ReadEntries(cancellationToken: cancellationToken))
        {
            if (selected(entry.Path))
            {
                yield return new JoinRecord(entry.Path, entry.Digest, null, 0, entry.Line);
            }
        }
    }

    /// <summary>
    /// The manifest's entries within the selection, in <see cref="JoinRecord.Ordinal"/> order, read in one pass; or
    /// <see langword="null"/>, as soon as it has more than <paramref name="limit"/> valid lines (then nothing is kept).
    /// </summary>
    private static List<JoinRecord>? ReadWhole(ManifestReader manifest, Func<string, bool> selected, int limit, CancellationToken cancellationToken)
    {
        var entries = new List<JoinRecord>();
        foreach (var entry in Listed(manifest, selected, cancellationToken))
        {
            if (manifest.Entries > limit)
            {
                return null;
            }

            entries.Add(entry);
        }

        if (!manifest.Sorted)
        {
            entries.Sort(JoinRecord.Ordinal);
        }

        return entries;
    }

    /// <summary>A manifest's second reading, checked to be still in the order the first found.</summary>
    private static IEnumerable<JoinRecord> InOrder(IEnumerable<JoinRecord> entries, string manifestPath)
    {
        string? previous = null;
        foreach (var entry in entries)
        {
            if (previous is not null && Sources.PathOrder.Compare(previous, entry.Path) > 0)
            {
                throw new InvalidDataException($"{manifestPath}: changed while the tree was being checked against it");
            }

            previous = entry.Path;
            yield return entry;
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
    private sealed class Handler<T>(Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => handler(value);
    }
}
