using System.CommandLine;
using Pipeline.Cli.Output;
using Pipeline.Cli.Transforms;
using Pipeline.Reporting;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Transforms;
using Pipeline.Unattended;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline run &lt;transform&gt; &lt;input-dir&gt; -o &lt;output-dir&gt;</c>: one subcommand per transform.</summary>
internal static partial class RunCommand
{
    /// <summary>Failed files listed at the end of a run shown with a progress display; the rest are counted.</summary>
    private const int FailuresListed = 20;

    public static Command Create(CliConsole console, IReadOnlyList<TransformSpec> transforms)
    {
        var run = new Command("run", "Process every selected file through the pipeline");
        foreach (var spec in transforms)
        {
            var command = new Command(spec.Name, spec.Description);
            var job = new JobOptions(command, concurrency: true, spec.DefaultInclude, defaultChunkSize: spec.DefaultChunkSize);
            var flags = new RunFlags(command);
            var build = spec.AddOptions(command);
            command.SetAction((parse, cancellationToken) => CommandErrors.GuardAsync(console, parse, async () =>
            {
                // Every check comes before anything is created: a bad argument exits 2 with nothing on disk.
                var settings = flags.Read(parse);
                var outputRoot = parse.GetValue(flags.Output)!;
                var ownFiles = OutputFilePaths.CheckReportAndLog(settings.Report, settings.Log, outputRoot);
                var options = job.Options(parse, outputRoot, ownFiles);
                options.Resume = parse.GetValue(flags.Resume);
                options.MaxErrors = parse.GetResult(flags.MaxErrors) is null ? null : parse.GetValue(flags.MaxErrors);
                options.Retries = parse.ValueOr(flags.Retries, options.Retries);
                options.Shard = parse.GetValue(flags.Shard);
                options.Validate();
                var transform = build(parse);
                if (options.Shard is not null && spec.ShardProblem is { } shardProblem)
                {
                    throw new CliUsageException(shardProblem);
                }

                OutputFilePaths.CheckNotAnAggregate(settings.Report, settings.Log, options.OutputRoot, transform);
                var noMatch = job.NoMatchWarning(parse, options.Selection);
                // A shard takes only its share of the files: a pattern that took none of them may take another shard's.
                var patterns = options.Shard is null ? job.PatternUse(parse, options.Selection) : null;
                if (settings.DryRun)
                {
                    return await DryRunAsync(console, transform, options, settings.Quiet, noMatch, patterns, cancellationToken);
                }

                // A pattern the user gave that takes no file (a case typo, say) makes no output folder: the walk is
                // done ahead, only when there is a folder to spare (none yet, and no report or log to be made in it).
                int? emptyWalkLinks = null;
                var outputFolder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.OutputRoot));
                if (noMatch is not null && options.Shard is null && !Path.Exists(outputFolder)
                    && !ownFiles.Any(f => string.Equals(Path.GetDirectoryName(f), outputFolder, StringComparison.Ordinal)))
                {
                    emptyWalkLinks = NothingSelected(options, cancellationToken);
                }

                using var log = RunLog.Open(settings.Log);
                log.Write("start pipeline " + string.Join(' ', parse.Tokens.Select(t => t.Value.Contains(' ', StringComparison.Ordinal) ? $"'{t.Value}'" : t.Value)));
                var exit = await ExecuteAsync(console, spec, transform, options, settings, log, new NoMatch(noMatch, emptyWalkLinks, patterns), cancellationToken);
                return exit;
            }));
            run.Subcommands.Add(command);
        }

        return run;
    }

    /// <summary>
    /// The links the walk of <paramref name="options"/>' selection left out, if it took nothing at all (no file, no
    /// entry that would fail); <see langword="null"/> as soon as it takes one.
    /// </summary>
    private static int? NothingSelected(PipelineOptions options, CancellationToken cancellationToken)
    {
        var links = 0;
        return GlobFileSource.Enumerate(options.EffectiveSelection, _ => links++, cancellationToken).Any() ? null : links;
    }

    private static async Task<int> ExecuteAsync(CliConsole console, TransformSpec spec, IFileTransform transform, PipelineOptions options, RunSettings settings, RunLog log, NoMatch noMatch, CancellationToken cancellationToken)
    {
        var display = console.ErrorIsTerminal && !settings.Quiet ? ProgressDisplay.For(console) : null;
        var progress = new InlineProgress<RunProgress>(p =>
        {
            if (p.LastResult is { Status: FileStatus.Failed } failed)
            {
                log.Write($"failed {failed.RelativePath}: {failed.Error}");
                if (display is null)
                {
                    // One line per failure, as it happens: the terminal shows them in the live display instead.
                    console.WriteError($"{failed.RelativePath}: {failed.Error}");
                }
            }
            else if (p.LastResult is { Artifact: Exec.CommandOutcome { StandardError.Length: > 0 } outcome } done)
            {
                // A command that succeeded but said something: kept in the log, never interleaved on the terminal.
                log.Write($"stderr {done.RelativePath}: {outcome.StandardError}");
            }

            display?.Report(p);
        });

        // Nothing kept per file: results come in ordinal order to the report and the transform's counts as they finish.
        var observer = spec.CreateObserver();
        using var disposeObserver = observer as IDisposable; // a --concat output not committed leaves no temporary file
        using var report = settings.Report is null ? null : RunReport.Open(settings.Report, options);
        options.KeepResults = false;
        options.CountAhead = display is not null; // the total is for the progress bar alone: without one, no second walk
        options.Results = new InlineProgress<FileResult>(r =>
        {
            noMatch.Patterns?.Saw(r.RelativePath);
            observer.Add(r, options.OutputRoot);
            report?.Add(r);
        });

        RunSummary summary;
        if (noMatch.EmptyWalkLinks is { } links)
        {
            // Nothing to take: no output folder, lock, journal or aggregate output is made for it. The summary of no file
            // is the library's; the links the walk ahead left out are this command's count (see LinksNotFollowed below).
            summary = RunSummary.FromResults([], TimeSpan.Zero);
        }
        else
        {
            try
            {
                // --sequential: the baseline implementation, one file at a time on one thread, for side-by-side timing.
                Func<Task<RunSummary>> start = settings.Sequential
                    ? () => Task.Factory.StartNew(() => SequentialRunner.RunAsync(transform, options, progress, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()
                    : () => DataflowRunner.RunAsync(transform, options, progress, cancellationToken);
                summary = display is null ? await start() : await display.ShowWhileAsync(start);
            }
            catch (OutputLockedException ex)
            {
                console.WriteError(ex.Message);
                log.Write("refused: " + ex.Message);
                return ExitCodes.OutputLocked;
            }
        }

        report?.Commit();
        var taken = summary.FilesSucceeded + summary.FilesFailed + summary.FilesSkipped + summary.FilesCancelled;
        if (noMatch.Warning is { } warning && taken == 0 && !summary.Cancelled)
        {
            // Said even with --quiet: a run that did nothing because of a pattern is what a scheduled job must hear of.
            warning += noMatch.EmptyWalkLinks is null ? string.Empty : $"; nothing was written and {options.OutputRoot} was not created";
            await console.Error.WriteLineAsync(warning);
            log.Write(warning);
        }

        foreach (var unused in summary.Cancelled || noMatch.Patterns is null ? [] : noMatch.Patterns.Warnings(cancellationToken))
        {
            await console.Error.WriteLineAsync(unused);
            log.Write(unused);
        }

        if (observer is ConcatObserver concat && noMatch.EmptyWalkLinks is null)
        {
            concat.Finish(summary, options.OutputRoot);
        }

        var exit = summary.Cancelled ? ExitCodes.Cancelled : summary.FilesFailed > 0 ? ExitCodes.FilesFailed : ExitCodes.Success;
        var linksNotFollowed = noMatch.EmptyWalkLinks ?? summary.SymbolicLinksNotFollowed;
        await PrintAsync(console, observer, transform, options, settings, summary, linksNotFollowed, display is not null);
        log.Write($"end ok={summary.FilesSucceeded} failed={summary.FilesFailed} skipped={summary.FilesSkipped} cancelled={summary.FilesCancelled} "
            + $"bytes_in={summary.BytesIn} seconds={Units.Fixed(summary.Elapsed.TotalSeconds, 3)}{(summary.StoppedByErrorLimit ? " stopped=max-errors" : string.Empty)}"
            + $"{(linksNotFollowed > 0 ? $" links_not_followed={linksNotFollowed}" : string.Empty)} exit={exit}");
        return exit;
    }

    private static async Task PrintAsync(CliConsole console, RunObserver observer, IFileTransform transform, PipelineOptions options, RunSettings settings, RunSummary summary, int linksNotFollowed, bool listFailures)
    {
        if (settings.Json)
        {
            SummaryPrinter.PrintJson(console, transform.Name, summary, linksNotFollowed, observer.Counts);
        }

        foreach (var line in observer.TotalWarnings)
        {
            // One line each, quiet or not: what a run left out of its outputs (malformed rows, say) is never silent.
            await console.Error.WriteLineAsync(line);
        }

        if (!settings.Quiet)
        {
            if (summary.TempFilesRemoved > 0)
            {
                await console.Error.WriteLineAsync($"note: removed {summary.TempFilesRemoved} temporary file(s) left by an earlier run that did not finish");
            }

            foreach (var warning in observer.Warnings)
            {
                await console.Error.WriteLineAsync(warning);
            }

            if (observer.WarningsDropped > 0)
            {
                await console.Error.WriteLineAsync($"... and {observer.WarningsDropped} more warning(s)");
            }

            foreach (var warning in observer.RunWarnings)
            {
                await console.Error.WriteLineAsync(warning);
            }

            if (!settings.Json)
            {
                SummaryPrinter.PrintTable(console, transform.Name, summary, observer.Counts);
                if (SummaryPrinter.LinksNotFollowed(linksNotFollowed) is { } links)
                {
                    await console.Out.WriteLineAsync(links);
                }
            }
        }

        var failed = summary.Failures;
        if (listFailures && failed.Count > 0)
        {
            foreach (var f in failed.Take(FailuresListed))
            {
                console.WriteError($"{f.RelativePath}: {f.Error}");
            }
        }

        if (listFailures && summary.FilesFailed > FailuresListed)
        {
            await console.Error.WriteLineAsync($"... {summary.FilesFailed - FailuresListed} more failed file(s); {(settings.Report is null ? "run with --report FILE.csv to list them all" : "every one is in " + settings.Report)}");
        }

        if (summary.StoppedByErrorLimit)
        {
            console.WriteError($"stopped after {summary.FilesFailed} failed files (--max-errors {options.MaxErrors}); no aggregate output was written; run again with --resume to go on");
        }

        if (summary.Cancelled)
        {
            console.WriteError("cancelled: files in flight were abandoned and no partial output was left; run again with --resume to go on");
        }

        if (options.Shard is { } shard && !summary.Cancelled && !summary.StoppedByErrorLimit && !settings.Quiet)
        {
            await console.Error.WriteLineAsync($"shard {shard} finished; once all {shard.Count} have: pipeline merge {OptionValues.Quote(options.OutputRoot)} --shards {shard.Count}");
        }
    }

    /// <summary>The options of <c>run</c> beyond selection, concurrency and the transform's own.</summary>
    private sealed class RunFlags
    {
        public RunFlags(Command command)
        {
            foreach (var option in (Option[])[Output, Report, Json, Resume, MaxErrors, Retries, Log, Quiet, DryRun, Sequential, Shard])
            {
                command.Options.Add(option);
            }
        }

        public Option<string?> Output { get; } = Required(OptionValues.Text("--output", "-o", "The folder outputs are written to (created if missing)", "output-dir", OptionValues.PathProblem));

        public Option<string?> Report { get; } = OptionValues.Text("--report", null, $"Write a per-file CSV report here, columns {string.Join(", ", RunReport.Header.Split(','))}; its folder must exist, and an existing file is replaced only if it is such a report", "file.csv", OptionValues.PathProblem);

        public Option<bool> Json { get; } = new("--json") { Description = "Print the summary as one JSON object on stdout instead of a table" };

        public Option<bool> Resume { get; } = new("--resume") { Description = "Skip files an earlier run finished (per the journal in <output>/.pipeline) with the same size, time and options" };

        public Option<int> MaxErrors { get; } = OptionValues.WholeNumber("--max-errors", null, "Stop taking files after this many failed (default: no limit)", 1, int.MaxValue);

        public Option<int> Retries { get; } = OptionValues.WholeNumber("--retries", null, $"Retries of a read that failed because the file was busy or locked, with doubling delays from 100 ms (default: 3)", 0, 10);

        public Option<string?> Log { get; } = OptionValues.Text("--log", null, "Append timestamped lines to this file (its folder must exist): the start with its arguments, every failed file, the end with the summary", "file", OptionValues.PathProblem);

        public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "Print nothing but errors (and the JSON summary if --json; with --dry-run, its last line)" };

        public Option<bool> DryRun { get; } = new("--dry-run", "-n") { Description = "List what would be processed, skipped (with --resume) and written; touch nothing" };

        public Option<Pipeline.Sharding.Shard?> Shard { get; } = OptionValues.Shard(
            "Take only shard I of N of the files (by a hash of their paths), for one job on many machines sharing the output folder; auto/N takes I from "
            + string.Join(", ", Pipeline.Sharding.Shard.IndexVariables) + ". Each shard writes its part of the aggregate outputs and report; 'pipeline merge' joins them");

        public Option<bool> Sequential { get; } = new("--sequential") { Description = "Use the sequential implementation (one file at a time, one thread) instead of the pipeline: the baseline, for timing side by side" };

        public RunSettings Read(ParseResult parse) =>
            new(parse.GetValue(Report), parse.GetValue(Log), parse.GetValue(Json), parse.GetValue(Quiet), parse.GetValue(DryRun), parse.GetValue(Sequential));

        private static Option<string?> Required(Option<string?> option)
        {
            option.Required = true;
            return option;
        }
    }

    /// <summary>The warning for patterns the user gave that take no file, and, when the walk was done ahead and took nothing, the links it left out.</summary>
    private sealed record NoMatch(string? Warning, int? EmptyWalkLinks, UnusedPatterns? Patterns);

    private sealed record RunSettings(string? Report, string? Log, bool Json, bool Quiet, bool DryRun, bool Sequential);
}
