using System.CommandLine;
using Pipeline.Running;
using Pipeline.Sources;

namespace Pipeline.Cli.Commands;

/// <summary>The selection and concurrency options shared by <c>run</c>, <c>compare</c> and <c>list</c>, added to one command.</summary>
internal sealed class JobOptions
{
    private readonly Option<string[]> _include = new("--include", "-i")
    {
        Description = "Glob of files to take, relative to the input (repeatable; default **/*)",
        HelpName = "glob",
        Arity = ArgumentArity.OneOrMore,
    };

    private readonly Option<string[]> _exclude = new("--exclude", "-x")
    {
        Description = "Glob of files to leave out (repeatable)",
        HelpName = "glob",
        Arity = ArgumentArity.OneOrMore,
    };

    private readonly Option<bool> _followSymlinks = new("--follow-symlinks")
    {
        Description = "Follow symbolic links to files and folders (default: links are skipped)",
    };

    private readonly Option<int>? _parallelism;
    private readonly Option<int>? _ioConcurrency;
    private readonly Option<int>? _chunkSize;
    private readonly Option<int>? _memoryBudget;

    private readonly IReadOnlyList<string> _defaultInclude;

    public JobOptions(Command command, bool concurrency, IReadOnlyList<string>? defaultInclude = null)
    {
        _defaultInclude = defaultInclude ?? [FileSelection.AllFiles];
        _include.Description = $"Glob of files to take, relative to the input (repeatable; default {string.Join(" ", _defaultInclude)})";
        Input = new Argument<string>("input-dir") { Description = "The folder to process" };
        command.Arguments.Add(Input);
        command.Options.Add(_include);
        command.Options.Add(_exclude);
        command.Options.Add(_followSymlinks);
        if (concurrency)
        {
            _parallelism = IntOption("--parallelism", "-p", $"Files processed at once by the CPU stage (default: cores = {Environment.ProcessorCount})", Environment.ProcessorCount, 1, 1024);
            _ioConcurrency = IntOption("--io-concurrency", null, $"Reads, and writes, in flight at once (default: {PipelineOptions.DefaultIoConcurrency})", PipelineOptions.DefaultIoConcurrency, 1, 1024);
            _chunkSize = IntOption("--chunk-size", null, "Bytes read at a time; larger files stream through in chunks of this size (default: 1048576)", 1024 * 1024, PipelineOptions.MinChunkSize, PipelineOptions.MaxChunkSize);
            _memoryBudget = IntOption("--memory-budget", null, $"MiB of file data held in memory at once across all files in flight (default: {PipelineOptions.DefaultMemoryBudget >> 20})", (int)(PipelineOptions.DefaultMemoryBudget >> 20), 1, 1024 * 1024);
            command.Options.Add(_parallelism);
            command.Options.Add(_memoryBudget);
            command.Options.Add(_ioConcurrency);
            command.Options.Add(_chunkSize);
        }
    }

    public Argument<string> Input { get; }

    public FileSelection Selection(ParseResult parse)
    {
        var include = parse.GetValue(_include) ?? [];
        return new FileSelection(parse.GetValue(Input)!)
        {
            Include = include.Length == 0 ? _defaultInclude : include,
            Exclude = parse.GetValue(_exclude) ?? [],
            FollowSymlinks = parse.GetValue(_followSymlinks),
        };
    }

    public PipelineOptions Options(ParseResult parse, string outputRoot) =>
        new(Selection(parse), outputRoot)
        {
            MaxDegreeOfParallelism = _parallelism is null ? Environment.ProcessorCount : parse.GetValue(_parallelism),
            IoConcurrency = _ioConcurrency is null ? PipelineOptions.DefaultIoConcurrency : parse.GetValue(_ioConcurrency),
            ChunkSize = _chunkSize is null ? 1024 * 1024 : parse.GetValue(_chunkSize),
            MemoryBudget = _memoryBudget is null ? PipelineOptions.DefaultMemoryBudget : (long)parse.GetValue(_memoryBudget) << 20,
        };

    internal static Option<int> IntOption(string name, string? alias, string description, int defaultValue, int min, int max)
    {
        var option = alias is null ? new Option<int>(name) : new Option<int>(name, alias);
        option.Description = description;
        option.HelpName = "n";
        option.DefaultValueFactory = _ => defaultValue;
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value < min || value > max)
            {
                result.AddError($"{name} must be between {min} and {max}, not {value}");
            }
        });
        return option;
    }
}
