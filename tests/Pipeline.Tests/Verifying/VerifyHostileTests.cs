using System.Text;
using Pipeline.Tests.Hostile;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Verifying;

/// <summary>
/// The real <c>pipeline verify</c> as a child process on hostile names (newline, backslash, CR, leading dash, spaces,
/// a 255-byte name), against manifests written by GNU <c>sha256sum</c> and by <c>pipeline run hash</c>: every file
/// <c>sha256sum -c</c> calls OK is OK here, and every one it calls FAILED is FAILED.
/// </summary>
public sealed class VerifyHostileTests
{
    private static readonly string LongName = new('L', 255);

    private static readonly string[] Names =
    [
        "new\nline", "back\\slash", "car\rriage", "-leading dash", "two  spaces ", LongName, "sub/nested file", "plain.txt",
    ];

    private static readonly string[] Changed = ["back\\slash", "car\rriage", LongName];

    [LinuxTheory]
    [InlineData("gnu")]
    [InlineData("pipeline")]
    public async Task Verify_HostileNames_AgreesWithSha256sumOnEveryOkAndFailed(string writer)
    {
        using var c = new HostileCase();
        foreach (var name in Names)
        {
            c.Write("in/" + name, "content of " + name);
        }

        string manifest;
        if (writer == "gnu")
        {
            // As a user makes one: find, sorted, fed to sha256sum (which escapes what needs it).
            c.Sh("cd in && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum -- > ../SHA256SUMS");
            manifest = c.Sub("SHA256SUMS");
        }
        else
        {
            var hashed = await c.RunAsync("run", "hash", c.In, "-o", c.Sub("sums"), "-q");
            Assert.Equal(0, hashed.ExitCode);
            manifest = c.Sub("sums/SHA256SUMS");
        }

        foreach (var name in Changed)
        {
            c.Write("in/" + name, "changed " + name);
        }

        var gnu = GnuVerdicts(c, manifest);
        var run = await c.RunAsync(new ChildSettings(), "verify", manifest, "--root", c.In, "--report", c.Sub("report.csv"), "--json");

        Assert.Equal(1, run.ExitCode);
        var (_, rows) = CsvReadBack.Read(c.Sub("report.csv"));
        var ours = rows.ToDictionary(r => r[0], r => r[1], StringComparer.Ordinal);
        Assert.Equal(Names.Length, gnu.Count);
        foreach (var (path, verdict) in gnu)
        {
            Assert.True(ours.TryGetValue(path, out var mine), $"no verdict for {Escape(path)}\n{run}");
            Assert.Equal(verdict == "OK" ? "ok" : "failed", mine);
        }

        Assert.Equal(Changed.Order(StringComparer.Ordinal), gnu.Where(g => g.Value == "FAILED").Select(g => g.Key).Order(StringComparer.Ordinal));
        Assert.Equal(Names.Length, rows.Count); // nothing NEW, MISSING or UNREADABLE besides
    }

    [LinuxFact]
    public async Task Verify_HostileNames_MovedAddedDeletedChanged_EachWithTheRightWord()
    {
        using var c = new HostileCase();
        foreach (var name in Names)
        {
            c.Write("in/" + name, "content of " + name);
        }

        c.Sh("cd in && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum -- > ../SHA256SUMS");
        File.Move(c.Sub("in/new\nline"), c.Sub("in/sub/moved\nhere"));
        File.Delete(c.Sub("in/-leading dash"));
        c.Write("in/added\\name\r", "fresh");
        c.Write("in/" + LongName, "changed");

        var run = await c.RunAsync(new ChildSettings(), "verify", c.Sub("SHA256SUMS"), "--root", c.In, "--quiet");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(
            ["FAILED  " + LongName, "MISSING  -leading dash", "\\NEW  added\\\\name\\r", "\\MOVED  sub/moved\\nhere  (from new\\nline)"],
            run.Stdout.TrimEnd('\n').Split('\n'));
    }

    /// <summary>What <c>sha256sum -c</c> says of each path (names unescaped), run in the tree.</summary>
    private static Dictionary<string, string> GnuVerdicts(HostileCase c, string manifest)
    {
        var output = c.Sh("cd in && { sha256sum -c \"$1\" 2>/dev/null || true; }", manifest);
        var verdicts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var line = Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(raw));
            var colon = line.LastIndexOf(": ", StringComparison.Ordinal);
            var name = line[..colon];
            if (name.StartsWith('\\'))
            {
                name = name[1..].Replace("\\\\", "\u0001", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal)
                    .Replace("\\r", "\r", StringComparison.Ordinal).Replace("\u0001", "\\", StringComparison.Ordinal);
            }

            verdicts[name.StartsWith("./", StringComparison.Ordinal) ? name[2..] : name] = line[(colon + 2)..];
        }

        return verdicts;
    }

    private static string Escape(string path) => path.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);
}
