using System.Text;
using Pipeline.Running;
using Pipeline.Safety;

namespace Pipeline.Cli.Commands;

/// <summary>
/// Checks the files a command writes beside its outputs (<c>--report</c>, <c>--log</c>, <c>--chart</c>) before
/// anything is created: their folder must exist (a typo is refused, not created), they must not be folders, and a
/// report may replace only a report this tool wrote, so a typo can never overwrite a user's file.
/// </summary>
internal static class OutputFilePaths
{
    /// <summary>
    /// Checks <c>--report</c> and <c>--log</c> of a run writing under <paramref name="outputRoot"/>; returns their
    /// absolute paths, which the run must never read as input.
    /// </summary>
    /// <exception cref="PipelineOptionsException">One line per problem, each naming the option and the path.</exception>
    public static IReadOnlyList<string> CheckReportAndLog(string? report, string? log, string outputRoot)
    {
        var problems = new List<string>();
        var paths = new List<string>();
        var output = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputRoot));
        if (report is not null)
        {
            var full = CheckFile("--report", report, output, problems);
            if (full is not null)
            {
                if (File.Exists(full) && !IsReport(full))
                {
                    problems.Add($"--report: {OptionValues.Quote(report)} exists and is not a report this tool wrote (its first line is not {Reporting.RunReport.Header}); remove it or choose another name");
                }

                paths.Add(full);
            }
        }

        if (log is not null)
        {
            var full = CheckFile("--log", log, output, problems);
            if (full is not null)
            {
                if (paths.Contains(full, StringComparer.Ordinal))
                {
                    problems.Add($"--log: {OptionValues.Quote(log)} is also the --report file");
                }
                else if (File.Exists(full) && !IsLog(full))
                {
                    problems.Add($"--log: {OptionValues.Quote(log)} exists and is not a log this tool wrote (its first line is not a timestamped log line); remove it or choose another name");
                }

                paths.Add(full);
            }
        }

        return problems.Count > 0 ? throw new CliUsageException(problems) : paths;
    }

    /// <summary>Refuses a <c>--report</c> or <c>--log</c> that is one of the transform's aggregate outputs (the manifest, <c>bad-rows.csv</c>): two results never land on one path.</summary>
    /// <exception cref="CliUsageException">One of them is.</exception>
    public static void CheckNotAnAggregate(string? report, string? log, string outputRoot, Pipeline.Transforms.IFileTransform transform)
    {
        var problems = new List<string>();
        foreach (var (option, path) in (ReadOnlySpan<(string, string?)>)[("--report", report), ("--log", log)])
        {
            if (path is null)
            {
                continue;
            }

            var full = Path.GetFullPath(path);
            foreach (var aggregate in transform.CreateAggregateOutputs([]))
            {
                if (string.Equals(full, Path.GetFullPath(Path.Join(outputRoot, aggregate.RelativePath)), StringComparison.Ordinal))
                {
                    problems.Add($"{option}: {OptionValues.Quote(path)} is where the run writes its {aggregate.RelativePath}; choose another name");
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new CliUsageException(problems);
        }
    }

    /// <summary>Checks a file a command will create or replace; returns its absolute path, or adds a problem and returns <see langword="null"/>.</summary>
    public static string? CheckFile(string option, string path, string? outputRoot, List<string> problems)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var folder = Path.GetDirectoryName(full);
        if (Directory.Exists(full))
        {
            problems.Add($"{option}: {OptionValues.Quote(path)} is a folder, not a file");
        }
        else if (NotRegularFile(full) is { } reason)
        {
            // The tool's own files are never written through a link or into a pipe or a device (see NoFollowFile).
            problems.Add($"{option}: {OptionValues.Quote(path)} {reason}");
        }
        else if (string.Equals(full, outputRoot, StringComparison.Ordinal))
        {
            problems.Add($"{option}: {OptionValues.Quote(path)} is the output folder");
        }
        else if (folder is null || (!Directory.Exists(folder) && !string.Equals(folder, outputRoot, StringComparison.Ordinal)))
        {
            // (The output folder itself is made by the run: a report directly in it is fine on the first run too.)
            problems.Add($"{option}: {OptionValues.Quote(path)}: folder not found: {folder}");
        }
        else
        {
            return full;
        }

        return null;
    }

    /// <summary>
    /// Why <paramref name="path"/> cannot be one of the tool's own files (<c>is a named pipe, not a regular file</c>), or
    /// <see langword="null"/> when it is a regular file or nothing: asked as the run will open it, so the answer is the
    /// run's. A link, a pipe or a device is refused before it is opened; a file that cannot be read now is left to the run.
    /// </summary>
    private static string? NotRegularFile(string path)
    {
        try
        {
            using var _ = NoFollowFile.Open(path, FileMode.Open, FileAccess.Read);
            return null;
        }
        catch (UnusablePathException ex) when (ex.Kind == UnusablePathKind.NotRegularFile)
        {
            return ex.Reason;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether <paramref name="path"/> is empty or begins with a line of ours (<c>2026-01-31T02:15:00.000Z [pid] ...</c>):
    /// a log is only ever appended to a file it could have written, never to a user's file.
    /// </summary>
    private static bool IsLog(string path)
    {
        try
        {
            var length = new FileInfo(path).Length;
            if (length == 0)
            {
                return true;
            }

            const int StampLength = 27; // "yyyy-MM-ddTHH:mm:ss.fffZ [" + at least one digit
            if (length < StampLength)
            {
                return false;
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var start = new byte[StampLength];
            stream.ReadExactly(start);
            var text = Encoding.ASCII.GetString(start);
            return DateTime.TryParseExact(text[..24], "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _)
                && text[24] == ' ' && text[25] == '[' && char.IsAsciiDigit(text[26]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether <paramref name="path"/> begins with the report header. A file shorter than the header is not a report and
    /// is not opened, which also keeps named pipes and devices (whose size is 0) from blocking the check.
    /// </summary>
    private static bool IsReport(string path) => FileStartsWith(path, Reporting.RunReport.Header + "\n");

    /// <summary>Whether the file at <paramref name="path"/> begins with <paramref name="text"/> (UTF-8); a shorter file is not opened.</summary>
    internal static bool FileStartsWith(string path, string text)
    {
        var expected = Encoding.UTF8.GetBytes(text);
        try
        {
            if (new FileInfo(path).Length < expected.Length)
            {
                return false;
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var start = new byte[expected.Length];
            stream.ReadExactly(start);
            return start.AsSpan().SequenceEqual(expected);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
