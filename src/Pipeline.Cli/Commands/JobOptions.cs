using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Pipeline.Running;
using Pipeline.Sources;

namespace Pipeline.Cli.Commands;

/// <summary>The selection and concurrency options shared by <c>run</c>, <c>compare</c> and <c>list</c>, added to one command.</summary>
internal sealed class JobOptions
{
    private readonly Option<string[]> _include = OptionValues.Texts("--include", "-i", string.Empty, "glob", GlobProblem);

    private readonly Option<string[]> _exclude = OptionValues.Texts("--exclude", "-x", "Glob of files to leave out (repeatable)", "glob", GlobProblem);

    private readonly Option<bool> _followSymlinks = new("--follow-symlinks")
    {
        Description = "Follow symbolic links to files and folders (default: links are skipped)",
    };

    private readonly Option<int>? _parallelism;
    private readonly Option<int>? _ioConcurrency;
    private readonly Option<int>? _chunkSize;
    private readonly Option<int>? _memoryBudget;

    private readonly IReadOnlyList<string> _defaultInclude;

    private readonly int _defaultChunkSize;

    private readonly Func<ParseResult, string> _root;

    /// <summary>The default <c>--chunk-size</c>: 1 MiB.</summary>
    public const int DefaultChunkSize = 1024 * 1024;

    /// <summary>
    /// The default <c>--chunk-size</c> of a job that only digests its files (hash, verify): 256 KiB. A digest reads each
    /// piece once, just after the kernel copied it; a piece this size is still in the core's cache when it is hashed, where
    /// 1 MiB pieces (four in flight a file) are not. What it measured is in docs/benchmarks-hashing.md.
    /// </summary>
    public const int DigestChunkSize = 256 * 1024;

    /// <summary>The largest <c>--memory-budget</c> in MiB: the 1 TiB that <see cref="PipelineOptions.MemoryBudget"/> allows.</summary>
    private const int MaxMemoryBudgetMiB = 1024 * 1024;

    /// <param name="command">The command the options are added to.</param>
    /// <param name="concurrency">Whether to add the concurrency options.</param>
    /// <param name="defaultInclude">The include patterns when none is given.</param>
    /// <param name="root">Where the input folder comes from; by default, an <c>input-dir</c> argument this adds.</param>
    /// <param name="defaultChunkSize">The <c>--chunk-size</c> when none is given.</param>
    public JobOptions(Command command, bool concurrency, IReadOnlyList<string>? defaultInclude = null, Func<ParseResult, string>? root = null, int defaultChunkSize = DefaultChunkSize)
    {
        _defaultInclude = defaultInclude ?? [FileSelection.AllFiles];
        _defaultChunkSize = defaultChunkSize;
        _include.Description = $"Glob of files to take, relative to the input (repeatable; default: {string.Join(" ", _defaultInclude)})";
        Input = OptionValues.RequiredText("input-dir", "The folder to process");
        if (root is null)
        {
            command.Arguments.Add(Input);
        }

        _root = root ?? (parse => parse.GetValue(Input)!);
        command.Options.Add(_include);
        command.Options.Add(_exclude);
        command.Options.Add(_followSymlinks);
        if (concurrency)
        {
            _parallelism = OptionValues.WholeNumber("--parallelism", "-p", $"Files (or a large gzip file's chunks) computed at once by the CPU stage (default: the core count, {Environment.ProcessorCount})", 1, 1024);
            _ioConcurrency = OptionValues.WholeNumber("--io-concurrency", null, $"Reads, and writes, in flight at once (default: {PipelineOptions.DefaultIoConcurrency})", 1, 1024);
            _chunkSize = OptionValues.WholeNumber("--chunk-size", null, $"Bytes read at a time; larger files stream through in chunks of this size (default: {_defaultChunkSize})", PipelineOptions.MinChunkSize, PipelineOptions.MaxChunkSize, "bytes");
            _memoryBudget = OptionValues.WholeNumber("--memory-budget", null, $"MiB of file data held in memory at once across all files in flight, at least 6 chunks (default: {PipelineOptions.DefaultMemoryBudget >> 20})", 1, MaxMemoryBudgetMiB, "MiB");
            _memoryBudget.HelpName = "MiB";
            command.Options.Add(_parallelism);
            command.Options.Add(_memoryBudget);
            command.Options.Add(_ioConcurrency);
            command.Options.Add(_chunkSize);
            command.Validators.Add(CheckMemoryBudget);
        }
    }

    public Argument<string> Input { get; }

    public FileSelection Selection(ParseResult parse)
    {
        var include = parse.GetValue(_include) ?? [];
        return new FileSelection(_root(parse))
        {
            Include = include.Length == 0 ? _defaultInclude : include,
            Exclude = parse.GetValue(_exclude) ?? [],
            FollowSymlinks = parse.GetValue(_followSymlinks),
        };
    }

    /// <summary>
    /// The warning for a walk that took no file although the user gave <c>--include</c> patterns (a case typo, say:
    /// globs are case-sensitive), naming them; <see langword="null"/> when none was given (the default took nothing: an
    /// empty folder is no surprise).
    /// </summary>
    public string? NoMatchWarning(ParseResult parse, FileSelection selection)
    {
        var include = parse.GetValue(_include) ?? [];
        if (include.Length == 0)
        {
            return null;
        }

        var exclude = parse.GetValue(_exclude) ?? [];
        var but = exclude.Length == 0 ? string.Empty : " (after --exclude " + string.Join(" ", exclude.Select(OptionValues.Quote)) + ")";
        return $"warning: no file under {selection.InputRoot} matches --include {string.Join(" or ", include.Select(OptionValues.Quote))}{but} (globs are case-sensitive)";
    }

    /// <summary>What tells which of the user's patterns did nothing; <see langword="null"/> when none was given.</summary>
    public UnusedPatterns? PatternUse(ParseResult parse, FileSelection selection) => UnusedPatterns.For(parse.GetValue(_include) ?? [], selection);

    /// <summary>The run's options; <paramref name="excludedFiles"/> (absolute) are never read as input, such as the run's own report and log.</summary>
    public PipelineOptions Options(ParseResult parse, string outputRoot, IReadOnlyList<string>? excludedFiles = null)
    {
        var selection = Selection(parse);
        if (excludedFiles is { Count: > 0 })
        {
            selection.ExcludedFiles = excludedFiles;
        }

        return new(selection, outputRoot)
        {
            MaxDegreeOfParallelism = _parallelism is null ? Environment.ProcessorCount : parse.ValueOr(_parallelism, Environment.ProcessorCount),
            IoConcurrency = _ioConcurrency is null ? PipelineOptions.DefaultIoConcurrency : parse.ValueOr(_ioConcurrency, PipelineOptions.DefaultIoConcurrency),
            ChunkSize = _chunkSize is null ? _defaultChunkSize : parse.ValueOr(_chunkSize, _defaultChunkSize),
            MemoryBudget = _memoryBudget is null ? PipelineOptions.DefaultMemoryBudget : (long)parse.ValueOr(_memoryBudget, (int)(PipelineOptions.DefaultMemoryBudget >> 20)) << 20,
        };
    }

    /// <summary>
    /// The rule of <see cref="PipelineOptions.Validate"/> that ties <c>--memory-budget</c> to <c>--chunk-size</c>, checked
    /// while parsing so the line names both flags (the library names its properties).
    /// </summary>
    private void CheckMemoryBudget(CommandResult result)
    {
        if (result.GetResult(_memoryBudget!) is not { Implicit: false } && result.GetResult(_chunkSize!) is not { Implicit: false })
        {
            return;
        }

        // Read from the tokens: a value with its own parse error (out of range, say) is reported by its option, and
        // reading it through the parser would throw; the rule is then judged with the default instead.
        static long? Given(OptionResult? given, long min, long max) =>
            given is { Implicit: false, Tokens.Count: > 0 }
            && long.TryParse(given.Tokens[^1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            && value >= min && value <= max ? value : null;
        var chunk = Given(result.GetResult(_chunkSize!), PipelineOptions.MinChunkSize, PipelineOptions.MaxChunkSize) ?? _defaultChunkSize;
        var budget = (Given(result.GetResult(_memoryBudget!), 1, MaxMemoryBudgetMiB) << 20) ?? PipelineOptions.DefaultMemoryBudget;
        if (budget < 6L * chunk)
        {
            result.AddError($"--memory-budget: {budget >> 20} MiB is less than 6 chunks of --chunk-size ({6L * chunk} bytes): one streamed file needs 4 for reading and 2 for output");
        }
    }

    /// <summary>Why a glob pattern is refused (the rules <see cref="PipelineOptions.Validate"/> applies), or <see langword="null"/>.</summary>
    internal static string? GlobProblem(string pattern) =>
        string.IsNullOrWhiteSpace(pattern) ? "is blank, not a glob"
        : pattern.Replace('\\', '/').Split('/').Any(part => part == "..") ? "leaves the input folder ('..' is not allowed)"
        : Path.IsPathRooted(pattern) ? "is an absolute path; a glob is relative to the input folder"
        : null;
}
