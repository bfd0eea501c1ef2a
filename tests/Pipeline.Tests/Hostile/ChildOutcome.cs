using System.Text.Json;

namespace Pipeline.Tests.Hostile;

/// <summary>How a child <c>pipeline</c> ended: exit code, both streams, and the failed entries of its <c>--json</c> summary.</summary>
public sealed record ChildOutcome(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    /// <summary>The non-empty lines of stderr.</summary>
    public IReadOnlyList<string> ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The <c>--json</c> summary: the last stdout line that is a JSON object.</summary>
    public JsonElement Summary
    {
        get
        {
            var line = Stdout.Split('\n').LastOrDefault(l => l.StartsWith('{'));
            if (line is null)
            {
                Assert.Fail($"no JSON summary on stdout (was --json passed?)\n{this}");
            }

            using var document = JsonDocument.Parse(line);
            return document.RootElement.Clone();
        }
    }

    /// <summary>The failed entries of the <c>--json</c> summary, as (path, reason), in the order printed.</summary>
    public IReadOnlyList<(string Path, string Error)> Failed =>
        [.. Summary.GetProperty("failed").EnumerateArray().Select(f => (f.GetProperty("path").GetString()!, f.GetProperty("error").GetString()!))];

    /// <summary>The reason <paramref name="path"/> failed; fails the test if it is not exactly once among the failed entries.</summary>
    public string FailureOf(string path)
    {
        var matches = Failed.Where(f => f.Path == path).ToList();
        Assert.True(matches.Count == 1, $"expected '{TreeSnapshot.Show(path)}' once among the failed entries, found {matches.Count}\n{this}");
        return matches[0].Error;
    }

    /// <summary>Asserts <paramref name="path"/> failed with a reason containing <paramref name="reason"/> (case-insensitive).</summary>
    public void AssertFailed(string path, string reason)
    {
        var error = FailureOf(path);
        Assert.True(error.Contains(reason, StringComparison.OrdinalIgnoreCase), $"'{TreeSnapshot.Show(path)}' failed with \"{error}\", expected a reason containing \"{reason}\"\n{this}");
    }

    public long Count(string name) => Summary.GetProperty(name).GetInt64();

    public override string ToString() =>
        $"exit {ExitCode} after {Elapsed.TotalSeconds:0.0} s\n--- stderr ---\n{Trim(Stderr)}\n--- stdout ---\n{Trim(Stdout)}";

    private static string Trim(string text) => text.Length > 4000 ? text[..4000] + "\n... (" + (text.Length - 4000) + " more characters)" : text;
}
