using Pipeline.Safety;
using Pipeline.Sharding;
using Pipeline.Sources;

namespace Pipeline.Running;

/// <summary>
/// Settings of one run. Values are checked as they are set; <see cref="Validate"/> checks the rules that span several of
/// them and reports every problem at once. A run copies the options when it starts (as Dataflow's blocks copy theirs), so
/// later changes never reach a running job and one instance can serve several runs.
/// </summary>
public sealed class PipelineOptions
{
    /// <summary>Smallest allowed <see cref="ChunkSize"/>: 4 KiB.</summary>
    public const int MinChunkSize = 4 * 1024;

    /// <summary>Largest allowed <see cref="ChunkSize"/>: 64 MiB.</summary>
    public const int MaxChunkSize = 64 * 1024 * 1024;

    private FileSelection _selection;
    private string _outputRoot;
    private int _maxDegreeOfParallelism = Environment.ProcessorCount;
    private int _ioConcurrency = DefaultIoConcurrency;
    private int _chunkSize = 1024 * 1024;
    private long _memoryBudget = DefaultMemoryBudget;
    private int? _maxErrors;
    private int _retries = 3;
    private TimeSpan _retryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Creates options for a run over <paramref name="selection"/> writing under <paramref name="outputRoot"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="selection"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="outputRoot"/> is empty.</exception>
    public PipelineOptions(FileSelection selection, string outputRoot)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputRoot);
        _selection = selection;
        _outputRoot = PhysicalPath.Resolve(outputRoot);
    }

    /// <summary>The default <see cref="MemoryBudget"/>: 64 MiB.</summary>
    public const long DefaultMemoryBudget = 64L * 1024 * 1024;

    /// <summary>The default I/O concurrency: twice the core count, at least 4.</summary>
    public static int DefaultIoConcurrency => Math.Max(4, 2 * Environment.ProcessorCount);

    /// <summary>The files to process.</summary>
    /// <exception cref="ArgumentNullException">Set to null.</exception>
    public FileSelection Selection
    {
        get => _selection;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _selection = value;
        }
    }

    /// <summary>The folder outputs are written under; always absolute (a path with <c>..</c> resolved as the kernel reads it, when it is set). It is never read as input.</summary>
    /// <exception cref="ArgumentException">Set to null, empty or white space.</exception>
    public string OutputRoot
    {
        get => _outputRoot;
        set
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value);
            _outputRoot = PhysicalPath.Resolve(value);
        }
    }

    /// <summary>How many files the CPU stage processes at once. Default: the core count. Range: 1 to 1024.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside the range.</exception>
    public int MaxDegreeOfParallelism
    {
        get => _maxDegreeOfParallelism;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1024);
            _maxDegreeOfParallelism = value;
        }
    }

    /// <summary>How many reads, and separately how many writes, run at once. Default: <see cref="DefaultIoConcurrency"/>. Range: 1 to 1024.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside the range.</exception>
    public int IoConcurrency
    {
        get => _ioConcurrency;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1024);
            _ioConcurrency = value;
        }
    }

    /// <summary>
    /// Bytes read at a time. A file no larger than this is read whole and passes through in one piece;
    /// a larger one streams through in chunks of this size, so memory does not depend on file sizes.
    /// Default: 1 MiB. Range: <see cref="MinChunkSize"/> to <see cref="MaxChunkSize"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside the range.</exception>
    public int ChunkSize
    {
        get => _chunkSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, MinChunkSize);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxChunkSize);
            _chunkSize = value;
        }
    }

    /// <summary>
    /// Bytes of file data the pipeline may hold at once, across every file in flight (input buffers, read-ahead,
    /// output buffers). The reader admits a file only when its buffers fit, so memory is bounded by this setting,
    /// not by file count or size; output that outgrows twice a chunk is written out as it grows.
    /// Default: <see cref="DefaultMemoryBudget"/>. Range: 6 × <see cref="ChunkSize"/> (checked by <see cref="Validate"/>) to 1 TiB.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1 MiB or more than 1 TiB.</exception>
    public long MemoryBudget
    {
        get => _memoryBudget;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1024L * 1024);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1L << 40);
            _memoryBudget = value;
        }
    }

    /// <summary>
    /// Whether a run that reports progress counts the files and bytes it will take ahead of the work, for the total and
    /// ETA in <see cref="RunProgress"/>: one more walk of names and sizes, on a thread of its own. Set it to false when
    /// the progress is not shown against a total (the command line does, unless it draws a progress bar): on a tree of
    /// many small files that walk is about a seventh of the run's CPU time (docs/benchmarks-hashing.md). Without
    /// progress nothing is counted either way. Default: true.
    /// </summary>
    public bool CountAhead { get; set; } = true;

    /// <summary>
    /// Whether the run keeps <c>.pipeline/</c> in the output folder: an exclusive lock for the run's duration, a
    /// journal of finished files (what <see cref="Resume"/> reads), and, at start, the removal of temporary files a
    /// crashed run left. Default: true.
    /// </summary>
    public bool Journal { get; set; } = true;

    /// <summary>
    /// Run only this shard of the job: the files whose relative paths <see cref="Sharding.Shard.Contains"/>, for running one
    /// job on many machines that share the output folder (see docs/many-machines.md). The shard keeps its lock,
    /// journal and <see cref="Resume"/> in <c>.pipeline/shard-I-of-N/</c>, writes there its part of each aggregate output and,
    /// when it finishes, a completion record; it never writes the aggregate outputs themselves: once every shard has
    /// finished, <see cref="ShardMerger.MergeAsync"/> joins the parts into exactly what one run writes. Needs
    /// <see cref="Journal"/>, and a transform whose aggregate outputs are a concatenation of per-file parts (every built-in
    /// one). Not for the block of <see cref="DataflowRunner.CreateBlock"/>: filter the files you offer it instead. Default:
    /// <see langword="null"/>, the whole job.
    /// </summary>
    public Shard? Shard { get; set; }

    /// <summary>Skip files the journal says an earlier run finished with the same size, last-write time and transform options. Default: false.</summary>
    public bool Resume { get; set; }

    /// <summary>Stop feeding files once this many have failed (files in flight finish; no aggregate output is written). Default: null, no limit. Range: 1 or more.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int? MaxErrors
    {
        get => _maxErrors;
        set
        {
            if (value is { } v)
            {
                ArgumentOutOfRangeException.ThrowIfLessThan(v, 1);
            }

            _maxErrors = value;
        }
    }

    /// <summary>Retries of a read that failed with a transient error (file busy or locked), with doubling delays. Default: 3. Range: 0 to 10.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Out of range.</exception>
    public int Retries
    {
        get => _retries;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 10);
            _retries = value;
        }
    }

    /// <summary>Delay before the first retry; each next one waits twice as long. Default: 100 ms. Range: 0 to 1 minute.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Out of range.</exception>
    public TimeSpan RetryDelay
    {
        get => _retryDelay;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, TimeSpan.FromMinutes(1));
            _retryDelay = value;
        }
    }

    /// <summary>
    /// Whether the summary keeps every file's result in <see cref="RunSummary.Results"/>. Default: <see langword="true"/>.
    /// Set it to <see langword="false"/> for runs of very many files: nothing in the run then grows with their number
    /// (the summary keeps counts and the first failures), and <see cref="Results"/> hands each result on as it comes.
    /// </summary>
    public bool KeepResults { get; set; } = true;

    /// <summary>
    /// Told of every file's result in ordinal order of relative paths — the order of the manifest and of the report —
    /// as soon as every earlier result is known, from the run's threads, one call at a time. Default: none.
    /// </summary>
    public IProgress<FileResult>? Results { get; set; }

    /// <summary>Where retry delays come from; tests inject their own. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Checks the rules that span several settings and the input folder; reports every problem at once, each naming
    /// the property at fault (<see cref="PipelineOptionsProblem.Property"/>) in the library's terms.
    /// </summary>
    /// <exception cref="PipelineOptionsException">One or more problems; nothing has been touched.</exception>
    public void Validate()
    {
        var problems = new List<PipelineOptionsProblem>();
        if (!Directory.Exists(Selection.InputRoot))
        {
            problems.Add(new(null, File.Exists(Selection.InputRoot)
                ? $"input is not a folder: {Selection.InputRoot}"
                : $"input folder not found: {Selection.InputRoot}"));
        }

        if (FolderIdentity.Relate(OutputRoot, Selection.InputRoot) is { } relation)
        {
            problems.Add(new(null, relation));
        }

        if (File.Exists(OutputRoot))
        {
            problems.Add(new(null, $"output path is a file, not a folder: {OutputRoot}"));
        }

        if (MemoryBudget < 6L * ChunkSize)
        {
            problems.Add(new(nameof(MemoryBudget), $"{MemoryBudget} bytes is less than 6 chunks of {nameof(ChunkSize)} ({6L * ChunkSize} bytes): one streamed file needs 4 for reading and 2 for output"));
        }

        if (Selection.Include.Count == 0)
        {
            problems.Add(new($"{nameof(Selection)}.{nameof(FileSelection.Include)}", "needs at least one pattern"));
        }

        if (Shard is not null && !Journal)
        {
            problems.Add(new(nameof(Shard), $"needs {nameof(Journal)}: a shard keeps its lock, journal and parts of the outputs in the output folder"));
        }

        CheckPatterns($"{nameof(Selection)}.{nameof(FileSelection.Include)}", Selection.Include, problems);
        CheckPatterns($"{nameof(Selection)}.{nameof(FileSelection.Exclude)}", Selection.Exclude, problems);
        if (problems.Count > 0)
        {
            throw new PipelineOptionsException(problems);
        }
    }

    /// <summary>
    /// The selection a run walks: <see cref="Selection"/> with <see cref="OutputRoot"/> added to its
    /// <see cref="FileSelection.ExcludedDirectories"/>, so that the outputs of this or an earlier run are never read as
    /// input when the output folder lies inside the input folder. Feed this, not <see cref="Selection"/>, to
    /// <see cref="GlobFileSource.Enumerate"/> when you drive the block of <see cref="DataflowRunner.CreateBlock"/> yourself.
    /// </summary>
    public FileSelection EffectiveSelection
    {
        get
        {
            var effective = Selection.Clone();
            effective.ExcludedDirectories = [.. Selection.ExcludedDirectories, OutputRoot];
            return effective;
        }
    }

    /// <summary>A copy, taken when a run starts, so that later changes to these options never reach it.</summary>
    internal PipelineOptions Clone()
    {
        var copy = (PipelineOptions)MemberwiseClone();
        copy._selection = _selection.Clone();
        return copy;
    }

    private static void CheckPatterns(string property, IReadOnlyList<string> patterns, List<PipelineOptionsProblem> problems)
    {
        foreach (var pattern in patterns)
        {
            if (string.IsNullOrWhiteSpace(pattern))
            {
                problems.Add(new(property, "a pattern is blank"));
            }
            else if (pattern.Replace('\\', '/').Split('/').Any(part => part == ".."))
            {
                problems.Add(new(property, $"'{pattern}' leaves the input folder ('..' is not allowed)"));
            }
            else if (Path.IsPathRooted(pattern))
            {
                problems.Add(new(property, $"'{pattern}' is an absolute path; a pattern is relative to the input folder"));
            }
        }
    }
}
