using System.CommandLine;
using System.Text;
using System.Text.Json;
using Pipeline.Cli.Output;
using Pipeline.Cli.Transforms;
using Pipeline.Hashing;
using Pipeline.Running;
using Pipeline.Verifying;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline verify &lt;manifest&gt; [--root DIR]</c>: checks a tree against a manifest, hashing through the pipeline,
/// and prints one line per problem (FAILED, MISSING, UNREADABLE, NEW, MOVED), then a summary.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("verify", "Check a tree against a manifest (SHA256SUMS and friends, B3SUMS, XXH128SUMS, or hashes.csv): OK, FAILED, MISSING, UNREADABLE, NEW, MOVED");
        var manifest = OptionValues.RequiredText("manifest", "The manifest: written by sha256sum (sha1sum, sha384sum, sha512sum, md5sum), b3sum, xxh128sum or by pipeline run hash (also --format csv)");
        command.Arguments.Add(manifest);
        var root = OptionValues.Text("--root", null, "The folder the manifest's paths are relative to (default: the manifest's folder)", "dir", OptionValues.PathProblem);
        command.Options.Add(root);
        var job = new JobOptions(command, concurrency: true, root: parse => parse.GetValue(root) ?? Path.GetDirectoryName(Path.GetFullPath(parse.GetValue(manifest)!))!, defaultChunkSize: JobOptions.DigestChunkSize);
        var algorithm = HashSpec.AlgorithmOption("The manifest's digest (default: the one its name says, e.g. B3SUMS; else SHA-256 for 64 hex digits, which BLAKE3's also have, and MD5 for 32, which XXH128's also have)");
        command.Options.Add(algorithm);
        var json = new Option<bool>("--json") { Description = "Print the summary as one JSON object on stdout (problem lines then go to stderr)" };
        var report = OptionValues.Text("--report", null, $"Write one CSV row per verdict here, columns {string.Join(", ", VerifyReport.Header.Split(','))}; its folder must exist, and an existing file is replaced only if it is such a report", "file.csv", OptionValues.PathProblem);
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the problems (and the JSON summary if --json)" };
        var ignoreMissing = new Option<bool>("--ignore-missing") { Description = "Listed files that are missing do not fail the check (they are still reported)" };
        var strict = new Option<bool>("--strict") { Description = "NEW and MOVED files, and improperly formatted lines, fail the check" };
        var sequential = new Option<bool>("--sequential") { Description = "Hash with the sequential implementation (one file at a time) instead of the pipeline" };
        foreach (var option in (Option[])[json, report, quiet, ignoreMissing, strict, sequential])
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) => CommandErrors.GuardAsync(console, parse, async () =>
        {
            var manifestPath = Path.GetFullPath(parse.GetValue(manifest)!);
            if (Directory.Exists(manifestPath) || !File.Exists(manifestPath))
            {
                throw new CliUsageException($"<manifest>: {(Directory.Exists(manifestPath) ? "is a folder, not a file" : "not found")}: {OptionValues.Quote(parse.GetValue(manifest)!)}");
            }

            var reportPath = CheckReport(parse.GetValue(report));
            var options = job.Options(parse, Path.Join(Path.GetTempPath(), "pipeline-verify-unused"), reportPath is null ? null : [reportPath]);
            var named = parse.GetValue(algorithm) is { } name ? HashSpec.ParseAlgorithm(name) : (HashAlgorithmKind?)null;
            var settings = new Settings(parse.GetValue(json), parse.GetValue(quiet), parse.GetValue(ignoreMissing), parse.GetValue(strict), parse.GetValue(sequential), named, job.NoMatchWarning(parse, options.Selection));
            return await ExecuteAsync(console, manifestPath, options, reportPath, settings, cancellationToken);
        }));
        return command;
    }

    private static async Task<int> ExecuteAsync(CliConsole console, string manifestPath, PipelineOptions options, string? reportPath, Settings settings, CancellationToken cancellationToken)
    {
        var problems = settings.Json ? console.Error : console.Out;
        using var report = reportPath is null ? null : VerifyReport.Open(reportPath);
        var digestBytes = 0;
        var display = console.ErrorIsTerminal && !settings.Quiet ? ProgressDisplay.For(console) : null;
        var progress = display is null ? null : new InlineProgress<RunProgress>(display.Report);
        var verdicts = new InlineProgress<VerifyResult>(v =>
        {
            report?.Add(v);
            if (v.Status != VerifyStatus.Ok)
            {
                digestBytes = v.Expected?.Length ?? digestBytes;
                var line = ProblemLine(v) + ThroughALink(v, options.Selection);

                // On a terminal, above the progress line, which is drawn again below it.
                if (display is null)
                {
                    problems.WriteLine(line);
                }
                else
                {
                    display.WriteAbove(problems, line);
                }
            }
        });

        VerifySummary summary;
        try
        {
            Func<Task<VerifySummary>> start = () => ManifestVerifier.VerifyAsync(manifestPath, options, settings.Sequential, progress, verdicts, settings.Algorithm, cancellationToken);
            summary = display is null ? await start() : await display.ShowWhileAsync(start);
        }
        catch (InvalidDataException ex)
        {
            // A manifest with no valid line: nothing to check against, a usage problem as for sha256sum -c.
            throw new CliUsageException($"<manifest>: {ex.Message}");
        }

        if (summary.Cancelled)
        {
            console.WriteError("cancelled: files not yet hashed were not checked (none is called missing)");
            return ExitCodes.Cancelled;
        }

        report?.Commit();
        if (summary.MalformedLines > 0)
        {
            await console.Error.WriteLineAsync($"warning: {summary.MalformedLines} line{(summary.MalformedLines == 1 ? " is" : "s are")} improperly formatted in {manifestPath}");
        }

        if (settings.NoMatch is { } noMatch && summary.Ok + summary.Failed + summary.Missing + summary.Unreadable + summary.New + summary.Moved == 0)
        {
            // Nothing checked, on either side, because of a pattern the user gave: said even with --quiet.
            await console.Error.WriteLineAsync(noMatch + "; nothing was checked");
        }

        if (summary.Missing > 0 && summary.Missing == summary.ManifestEntries)
        {
            // Not one listed file where the manifest says: far more likely the wrong folder than a tree that lost everything.
            await console.Error.WriteLineAsync(
                $"hint: none of the manifest's {Units.Count(summary.Missing)} file(s) was found under {options.Selection.InputRoot}: check --root (the folder its paths are relative to; default: the manifest's folder)");
        }

        if (summary.Failed > 0 && summary.LookAlikeAlgorithm is { } other)
        {
            // Nothing said which of two algorithms with digests this long the manifest holds: the failures may be the guess's.
            await console.Error.WriteLineAsync(
                $"note: {manifestPath} does not say its algorithm and its {digestBytes * 2}-digit digests were taken as {Upper(summary.Algorithm)}; "
                + $"{Upper(other)} digests are as long: if it holds those, pass --algorithm {other.ToString().ToLowerInvariant()} (or name it {HashTransform.SumsFileName(other)})");
        }

        if (settings.Json)
        {
            PrintJson(console, summary);
        }
        else if (!settings.Quiet)
        {
            PrintTable(console, summary);
            if (SummaryPrinter.LinksNotFollowed(summary.SymbolicLinksNotFollowed) is { } links)
            {
                await console.Out.WriteLineAsync(links);
            }
        }

        var failing = summary.Failed > 0 || summary.Unreadable > 0
            || (summary.Missing > 0 && !settings.IgnoreMissing)
            || (settings.Strict && (summary.New > 0 || summary.Moved > 0 || summary.MalformedLines > 0));
        return failing ? ExitCodes.FilesFailed : ExitCodes.Success;
    }

    /// <summary>One line per problem: the word, two spaces, the path (escaped with a leading backslash as sha256sum does when it holds a backslash, LF or CR).</summary>
    /// <summary>
    /// For a MISSING file that is there, reached through a symbolic link the walk did not follow (a manifest made with
    /// --follow-symlinks, checked without it): says so, as sha256sum -c, which follows links, would call it OK.
    /// </summary>
    private static string ThroughALink(VerifyResult v, Pipeline.Sources.FileSelection selection) =>
        v.Status == VerifyStatus.Missing && !selection.FollowSymlinks && File.Exists(Path.Join(selection.InputRoot, v.RelativePath))
            ? "  (there through a symbolic link, not followed; --follow-symlinks follows it)"
            : string.Empty;

    internal static string ProblemLine(VerifyResult v)
    {
        var (path, escaped) = Escape(v.RelativePath);
        var line = new StringBuilder(escaped ? "\\" : string.Empty).Append(v.Status.ToString().ToUpperInvariant()).Append("  ").Append(path);
        if (v.MovedFrom is { } from)
        {
            line.Append("  (from ").Append(Escape(from).Path).Append(')');
        }

        if (v.Error is { } error)
        {
            line.Append(": ").Append(error);
        }

        return line.ToString();
    }

    private static (string Path, bool Escaped) Escape(string path) =>
        path.AsSpan().IndexOfAny('\\', '\n', '\r') < 0
            ? (path, false)
            : (path.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal), true);

    private static string? CheckReport(string? report)
    {
        if (report is null)
        {
            return null;
        }

        var problems = new List<string>();
        var full = OutputFilePaths.CheckFile("--report", report, null, problems);
        if (full is not null && File.Exists(full) && !StartsWith(full, VerifyReport.Header + "\n"))
        {
            problems.Add($"--report: {OptionValues.Quote(report)} exists and is not a verify report this tool wrote (its first line is not {VerifyReport.Header}); remove it or choose another name");
        }

        return problems.Count > 0 ? throw new CliUsageException(problems) : full;
    }

    private static bool StartsWith(string path, string text) => OutputFilePaths.FileStartsWith(path, text);

    private static void PrintTable(CliConsole console, VerifySummary s)
    {
        var table = new FittedTable($"pipeline verify ({s.Algorithm.ToString().ToUpperInvariant()})", labelled: false);
        foreach (var name in (string[])["ok", "failed", "missing", "unreadable", "new", "moved", "bad lines", "MB read", "seconds", "MB/s"])
        {
            table.AddColumn(name);
        }

        table.AddRow(
            Units.Count(s.Ok), Units.Count(s.Failed), Units.Count(s.Missing), Units.Count(s.Unreadable), Units.Count(s.New), Units.Count(s.Moved),
            Units.Count(s.MalformedLines), Units.Megabytes(s.BytesRead), Units.Fixed(s.Elapsed.TotalSeconds, 3),
            Units.Fixed(s.Elapsed > TimeSpan.Zero ? s.BytesRead / 1e6 / s.Elapsed.TotalSeconds : 0, 1));
        table.Write(console.CreateOutConsole(), console.TableBorder);
    }

    private static void PrintJson(CliConsole console, VerifySummary s)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("algorithm", s.Algorithm.ToString().ToLowerInvariant());
            json.WriteNumber("manifest_entries", s.ManifestEntries);
            json.WriteNumber("malformed_lines", s.MalformedLines);
            json.WriteNumber("ok", s.Ok);
            json.WriteNumber("failed", s.Failed);
            json.WriteNumber("missing", s.Missing);
            json.WriteNumber("unreadable", s.Unreadable);
            json.WriteNumber("new", s.New);
            json.WriteNumber("moved", s.Moved);
            json.WriteNumber("bytes_read", s.BytesRead);
            json.WriteNumber("symlinks_not_followed", s.SymbolicLinksNotFollowed);
            json.WriteNumber("seconds", Math.Round(s.Elapsed.TotalSeconds, 6));
            json.WriteBoolean("cancelled", s.Cancelled);
            json.WriteEndObject();
        }

        console.Out.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static string Upper(HashAlgorithmKind algorithm) => algorithm.ToString().ToUpperInvariant();

    private sealed record Settings(bool Json, bool Quiet, bool IgnoreMissing, bool Strict, bool Sequential, HashAlgorithmKind? Algorithm, string? NoMatch);
}
