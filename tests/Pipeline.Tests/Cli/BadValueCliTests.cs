using System.CommandLine;
using Pipeline.Cli;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Cli;

/// <summary>
/// Every bad value of every option and argument of every command: exit 2, one error line naming the option and the
/// value, no stack trace, nothing created. The cases come from walking the real command tree, so a new option is
/// covered the day it is added (and a new command fails here until it has a valid base command line below).
/// </summary>
public sealed class BadValueCliTests
{
    /// <summary>A valid command line for each command that has options: positionals, then options by canonical name.</summary>
    private static readonly Dictionary<string, (string[] Positionals, (string Name, string Value)[] Options)> Bases = new(StringComparer.Ordinal)
    {
        ["run"] = (["{in}"], [("--output", "{out}")]),
        ["compare"] = (["{in}"], [("--rounds", "1")]),
        ["list"] = (["{in}"], []),
        ["verify"] = (["{in}/a.txt"], [("--root", "{in}")]),
        ["run exec"] = (["{in}", "cat"], [("--output", "{out}")]),
        ["compare exec"] = (["{in}", "cat"], [("--rounds", "1")]),
        ["run verify"] = (["{in}"], [("--output", "{out}"), ("--manifest", "{in}/a.txt")]),
        ["compare verify"] = (["{in}"], [("--rounds", "1"), ("--manifest", "{in}/a.txt")]),
        ["merge"] = (["{out}"], [("--shards", "2")]),
        ["transforms"] = ([], []),
        ["bench"] = ([], [("--work-dir", "{work}"), ("--transforms", "hash"), ("--size", "small"), ("--rounds", "1")]),
        ["generate"] = (["csv", "{gen}"], [("--scale", "0.001")]),
    };

    public static TheoryData<string, string, string> BadOptionValues()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (path, command) in LeafCommands())
        {
            foreach (var option in command.Options.Where(TakesAValue))
            {
                foreach (var value in BadValuesOf(option.ValueType))
                {
                    data.Add(path, option.Name, value);
                }
            }
        }

        return data;
    }

    public static TheoryData<string, string> Arguments()
    {
        var data = new TheoryData<string, string>();
        foreach (var (path, command) in LeafCommands())
        {
            foreach (var argument in command.Arguments)
            {
                data.Add(path, argument.Name);
            }
        }

        return data;
    }

    [Fact]
    public void TheWalk_FindsTheOptionsOfEveryCommandAndTransform()
    {
        var options = BadOptionValues().Select(row => $"{row[0]} {row[1]}").ToHashSet(StringComparer.Ordinal);

        foreach (var expected in (string[])["run hash --algorithm", "run hash --format", "run csv --select", "run csv --where", "run csv --to", "run csv --delimiter",
            "run csv --output-delimiter", "run csv --bad-rows", "run gzip --level", "run gunzip --memory-budget", "run hash --report", "run hash --log",
            "run hash --max-errors", "run hash --retries", "compare gzip --rounds", "list --include", "bench --size", "bench --transforms", "bench --rounds",
            "bench --sweep-parallelism", "bench --chart", "bench --seed", "generate --scale", "generate --seed", "run hash --shard", "list --shard", "merge --shards"])
        {
            Assert.Contains(expected, options);
        }
    }

    [Theory]
    [MemberData(nameof(BadOptionValues))]
    public async Task AnyCommand_BadOptionValue_ExitsTwoWithOneLineNamingOptionAndValueAndCreatesNothing(string command, string option, string value)
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        var args = CommandLine(temp, command, option, value, argument: null);

        var (exit, stdout, stderr) = await CliRun.InvokeAsync(args);

        Assert.Equal(2, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {option}: '{value}' ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout);
        AssertNothingCreated(temp);
    }

    [Theory]
    [MemberData(nameof(Arguments))]
    public async Task AnyCommand_EmptyArgument_ExitsTwoWithOneLineNamingTheArgumentAndCreatesNothing(string command, string argument)
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");
        var args = CommandLine(temp, command, option: null, value: string.Empty, argument);

        var (exit, stdout, stderr) = await CliRun.InvokeAsync(args);

        Assert.Equal(2, exit);
        Assert.Equal($"error: <{argument}>: '' is {(argument == "kind" ? "not one of hash-small, hash-large, gzip-large-text, gzip-one-large, gzip-small, csv, many-small, many-small-csv" : "empty")}\n", stderr);
        Assert.Equal(string.Empty, stdout);
        AssertNothingCreated(temp);
    }

    [Theory]
    [InlineData("error: --parallelism: 'abc' is not a whole number (1 to 1024)", "run", "hash", "{in}", "-o", "{out}", "-p", "abc")]
    [InlineData("error: --parallelism: '99999999999999999999' is out of range (1 to 1024)", "run", "hash", "{in}", "-o", "{out}", "--parallelism", "99999999999999999999")]
    [InlineData("error: --level: 'x' is not a whole number (1 to 9)", "run", "gzip", "{in}", "-o", "{out}", "--level", "x")]
    [InlineData("error: --level: '0' is out of range (1 to 9)", "compare", "gzip", "{in}", "-l", "0")]
    [InlineData("error: --max-errors: 'x' is not a whole number (1 or more)", "run", "hash", "{in}", "-o", "{out}", "--max-errors", "x")]
    [InlineData("error: --max-errors: '0' is out of range (1 or more)", "run", "hash", "{in}", "-o", "{out}", "--max-errors", "0")]
    [InlineData("error: --chunk-size: '1.5' is not a whole number (4096 to 67108864 bytes)", "run", "hash", "{in}", "-o", "{out}", "--chunk-size", "1.5")]
    [InlineData("error: --memory-budget: '3000000000' is out of range (1 to 1048576 MiB)", "run", "hash", "{in}", "-o", "{out}", "--memory-budget", "3000000000")]
    [InlineData("error: --memory-budget: '1048577' is out of range (1 to 1048576 MiB)", "run", "hash", "{in}", "-o", "{out}", "--memory-budget", "1048577")]
    [InlineData("error: --rounds: 'x' is not a whole number (1 to 100)", "compare", "hash", "{in}", "--rounds", "x")]
    [InlineData("error: --rounds: 'x' is not a whole number (1 to 100)", "bench", "--rounds", "x")]
    [InlineData("error: --algorithm: 'SHA3' is not one of sha1, sha256, sha384, sha512, md5, blake3, xxh128", "run", "hash", "{in}", "-o", "{out}", "-a", "SHA3")]
    [InlineData("error: --format: 'json' is not one of sums, csv", "run", "hash", "{in}", "-o", "{out}", "--format", "json")]
    [InlineData("error: --select: 'id,,city' has an empty column name", "run", "csv", "{in}", "-o", "{out}", "--select", "id,,city")]
    [InlineData("error: --select: 'id,id' names column 'id' twice", "run", "csv", "{in}", "-o", "{out}", "--select", "id,id")]
    [InlineData("error: --where: 'amount' is not a condition: expected 'column OP value' with OP one of = != > >= < <= ~", "run", "csv", "{in}", "-o", "{out}", "--where", "amount")]
    [InlineData("error: --delimiter: 'ab' is not one character or 'tab'", "run", "csv", "{in}", "-o", "{out}", "--delimiter", "ab")]
    [InlineData("error: --output-delimiter: '\"' cannot be a delimiter: use one ASCII character other than a quote or a line break, or 'tab'", "run", "csv", "{in}", "-o", "{out}", "--output-delimiter", "\"")]
    [InlineData("error: --to: 'xml' is not one of csv, jsonl", "run", "csv", "{in}", "-o", "{out}", "--to", "xml")]
    [InlineData("error: --bad-rows: 'ignore' is not one of skip, fail", "run", "csv", "{in}", "-o", "{out}", "--bad-rows", "ignore")]
    [InlineData("error: --infer-types applies only to --to jsonl", "run", "csv", "{in}", "-o", "{out}", "--infer-types")]
    [InlineData("error: --infer-types applies only to --to jsonl", "compare", "csv", "{in}", "--to", "csv", "--infer-types")]
    [InlineData("error: --output-delimiter applies only to --to csv", "run", "csv", "{in}", "-o", "{out}", "--to", "jsonl", "--output-delimiter", ";")]
    [InlineData("error: --memory-budget: 1 MiB is less than 6 chunks of --chunk-size (6291456 bytes): one streamed file needs 4 for reading and 2 for output", "run", "gzip", "{in}", "-o", "{out}", "--memory-budget", "1")]
    [InlineData("error: --memory-budget: 1 MiB is less than 6 chunks of --chunk-size (1572864 bytes): one streamed file needs 4 for reading and 2 for output", "run", "hash", "{in}", "-o", "{out}", "--memory-budget", "1")]
    [InlineData("error: --memory-budget: 1 MiB is less than 6 chunks of --chunk-size (1572864 bytes): one streamed file needs 4 for reading and 2 for output", "verify", "{in}/a.txt", "--memory-budget", "1")]
    [InlineData("error: --memory-budget: 1 MiB is less than 6 chunks of --chunk-size (1572864 bytes): one streamed file needs 4 for reading and 2 for output", "run", "verify", "{in}", "-o", "{out}", "--manifest", "{in}/a.txt", "--memory-budget", "1")]
    [InlineData("error: --memory-budget: 64 MiB is less than 6 chunks of --chunk-size (402653184 bytes): one streamed file needs 4 for reading and 2 for output", "compare", "hash", "{in}", "--chunk-size", "67108864")]
    [InlineData("error: --size: 'huge' is not one of small, medium, large", "bench", "--size", "huge")]
    [InlineData("error: --transforms: ',' names no transform; choose from hash, gzip, gunzip, csv, zstd, unzstd, exec", "bench", "--transforms", ",")]
    [InlineData("error: --sweep-parallelism: '1,x' has 'x', not a parallelism from 1 to 1024", "bench", "--sweep-parallelism", "1,x")]
    [InlineData("error: --scale: 'x' is not a number (more than 0, at most 100)", "generate", "csv", "{gen}", "--scale", "x")]
    [InlineData("error: --scale: 'NaN' is not a number (more than 0, at most 100)", "generate", "csv", "{gen}", "--scale", "NaN")]
    [InlineData("error: --scale: '0' is out of range (more than 0, at most 100)", "generate", "csv", "{gen}", "--scale", "0")]
    [InlineData("error: --seed: '1.5' is not a whole number (-2147483648 to 2147483647)", "generate", "csv", "{gen}", "--seed", "1.5")]
    [InlineData("error: --include: '**/../../*' leaves the input folder ('..' is not allowed)", "run", "hash", "{in}", "-o", "{out}", "-i", "**/../../*")]
    [InlineData("error: --include: '**/../../*' leaves the input folder ('..' is not allowed)", "run", "hash", "{in}", "-o", "{out}", "--dry-run", "-i", "**/../../*")]
    [InlineData("error: --include: '**/../../*' leaves the input folder ('..' is not allowed)", "compare", "hash", "{in}", "-i", "**/../../*")]
    [InlineData("error: --include: '**/../../*' leaves the input folder ('..' is not allowed)", "list", "{in}", "-i", "**/../../*")]
    [InlineData("error: --exclude: '/etc/*' is an absolute path; a glob is relative to the input folder", "run", "hash", "{in}", "-o", "{out}", "-x", "/etc/*")]
    [InlineData("error: --output: ' ' is blank, not a path", "run", "hash", "{in}", "-o", " ")]
    [InlineData("error: --algorithm: 'sha1\\nsha256' is not one of sha1, sha256, sha384, sha512, md5, blake3, xxh128", "run", "hash", "{in}", "-o", "{out}", "-a", "sha1\nsha256")]
    public async Task Examples_BadValue_ExitTwoWithThatExactLineAndCreateNothing(string expected, params string[] template)
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");

        var (exit, stdout, stderr) = await CliRun.InvokeAsync(Expand(temp, template));

        Assert.Equal((2, expected + "\n", string.Empty), (exit, stderr, stdout));
        AssertNothingCreated(temp);
    }

    [Fact]
    public async Task Run_MemoryBudgetOfTwoMiB_FitsHashsSmallerDefaultChunksButNotGzips()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", new byte[700_000]); // streams: larger than hash's 256 KiB chunk

        var hash = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "--memory-budget", "2", "--quiet");
        var gzip = await CliRun.InvokeAsync("run", "gzip", temp.Sub("in"), "-o", temp.Sub("gz"), "--memory-budget", "2", "--quiet");

        Assert.Equal((0, string.Empty), (hash.ExitCode, hash.Error));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(new byte[700_000])) + "  a.txt\n", File.ReadAllText(temp.Sub("out/SHA256SUMS")));
        Assert.Equal(2, gzip.ExitCode);
        Assert.Contains("--memory-budget: 2 MiB is less than 6 chunks of --chunk-size (6291456 bytes)", gzip.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunDryRun_MemoryBudgetOfOneTebibyte_IsAcceptedWithoutOverflow()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");

        var (exit, stdout, stderr) = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "--memory-budget", "1048576", "--dry-run");

        Assert.Equal((0, string.Empty), (exit, stderr));
        Assert.Contains("dry run: 1 to process", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnknownOptionWithAValue_IsOneLineListingBothTokens()
    {
        using var temp = new TempDir();
        temp.Write("in/a.txt", "a");

        var (exit, _, stderr) = await CliRun.InvokeAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "--level", "3");

        Assert.Equal((2, "error: unrecognized argument(s): '--level' '3' (see 'pipeline run hash --help')\n"), (exit, stderr));
        AssertNothingCreated(temp);
    }

    private static IEnumerable<(string Path, Command Command)> LeafCommands()
    {
        var root = new CliApp(new CliConsole(TextWriter.Null, TextWriter.Null)).CreateRootCommand();
        return Walk(root, string.Empty);

        static IEnumerable<(string, Command)> Walk(Command command, string path)
        {
            if (command.Action is not null && path.Length > 0)
            {
                yield return (path, command);
            }

            foreach (var sub in command.Subcommands)
            {
                foreach (var leaf in Walk(sub, path.Length == 0 ? sub.Name : path + " " + sub.Name))
                {
                    yield return leaf;
                }
            }
        }
    }

    private static bool TakesAValue(Option option) =>
        option.ValueType != typeof(bool) && option.Arity.MaximumNumberOfValues > 0;

    private static string[] BadValuesOf(Type type) =>
        type == typeof(int) ? ["x", "1.5", "99999999999", "-99999999999", ""]
        : type == typeof(double) ? ["x", "NaN", "1e999", ""]
        : type == typeof(string) || type == typeof(string[]) ? [""]
        : type == typeof(Pipeline.Sharding.Shard) ? ["x", "3/3", "1/0", "-1/2", "auto", ""]
        : throw new InvalidOperationException($"no bad values known for options of type {type}: add them here");

    private static string[] CommandLine(TempDir temp, string path, string? option, string value, string? argument)
    {
        var names = path.Split(' ');
        var (positionals, options) = Bases.TryGetValue(path, out var own) ? own : Bases[names[0]];
        var command = LeafCommands().Single(c => c.Path == path).Command;
        var args = new List<string>(names);
        var afterDoubleDash = new List<string>();
        for (var i = 0; i < command.Arguments.Count; i++)
        {
            // exec's command goes after --, as a user must write it (its options would otherwise be read as the tool's).
            (command.Arguments[i].Name == "command" ? afterDoubleDash : args).Add(command.Arguments[i].Name == argument ? value : positionals[i]);
        }

        foreach (var (name, given) in options.Where(o => o.Name != option))
        {
            args.Add(name);
            args.Add(given);
        }

        if (option is not null)
        {
            args.Add(option);
            args.Add(value);
        }

        if (afterDoubleDash.Count > 0)
        {
            args.Add("--");
            args.AddRange(afterDoubleDash);
        }

        return Expand(temp, [.. args]);
    }

    private static string[] Expand(TempDir temp, string[] template) =>
        [.. template.Select(a => a.Replace("{in}", temp.Sub("in"), StringComparison.Ordinal)
            .Replace("{out}", temp.Sub("out"), StringComparison.Ordinal)
            .Replace("{work}", temp.Sub("work"), StringComparison.Ordinal)
            .Replace("{gen}", temp.Sub("gen"), StringComparison.Ordinal))];

    /// <summary>The temporary folder holds exactly what the test put there: no output, work or corpus folder, no new file.</summary>
    private static void AssertNothingCreated(TempDir temp)
    {
        Assert.Equal(["in"], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName));
        Assert.Equal(["a.txt"], Directory.GetFileSystemEntries(temp.Sub("in")).Select(Path.GetFileName));
    }
}
