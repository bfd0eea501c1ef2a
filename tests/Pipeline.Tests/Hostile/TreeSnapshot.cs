using System.Diagnostics;
using System.Text;

namespace Pipeline.Tests.Hostile;

/// <summary>
/// Every entry under a folder, walked without following links below it (<c>find -H</c>: the root itself may be a link), as raw-byte relative path → what it is:
/// <c>f &lt;sha256&gt;</c> for a regular file, <c>l -&gt; &lt;target&gt;</c> for a link, <c>d</c>, <c>p</c> (FIFO), <c>s</c> (socket), ...
/// </summary>
/// <remarks>
/// Walked by coreutils rather than .NET: .NET decodes names as UTF-8 and cannot open a file whose name is not,
/// and opening a FIFO to hash it would block. Names are kept byte for byte (decoded as Latin-1).
/// </remarks>
public static class TreeSnapshot
{
    private static readonly Encoding Bytes = Encoding.Latin1;

    /// <summary>The entries under <paramref name="root"/>, leaving out the subtrees at <paramref name="excluding"/> (absolute paths).</summary>
    public static SortedDictionary<string, string> Take(string root, IReadOnlyCollection<string> excluding)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Path.Exists(root))
        {
            return result;
        }

        var prune = excluding.Count == 0
            ? string.Empty
            : "\\( " + string.Join(" -o ", excluding.Select((_, i) => $"-path \"${{{i + 2}}}\"")) + " \\) -prune -o ";
        var listing = Run($"find -H \"$1\" -mindepth 1 {prune}-printf '%y\\0%P\\0%l\\0'", [root, .. excluding]);
        var fields = listing.Split('\0');
        for (var i = 0; i + 2 < fields.Length; i += 3)
        {
            result[fields[i + 1]] = fields[i] switch
            {
                "l" => "l -> " + fields[i + 2],
                var type => type,
            };
        }

        // Regular files: their digest, by sha256sum -z (which neither escapes nor mangles the names).
        var sums = Run($"find -H \"$1\" -mindepth 1 {prune}-type f -exec sha256sum -z -- {{}} +", [root, .. excluding]);
        var prefix = root.TrimEnd('/') + "/";
        foreach (var line in sums.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var hash = line[..64];
            var path = line[66..];
            result[path.StartsWith(prefix, StringComparison.Ordinal) ? path[prefix.Length..] : path] = "f " + hash;
        }

        return result;
    }

    /// <summary>Every file or folder named <c>*.tmp</c> under <paramref name="root"/>, not following links, as relative paths.</summary>
    public static IReadOnlyList<string> TempFiles(string root) =>
        Path.Exists(root)
            ? Run("find -H \"$1\" -mindepth 1 -name '*.tmp' -printf '%P\\0'", [root]).Split('\0', StringSplitOptions.RemoveEmptyEntries)
            : [];

    /// <summary>The differences between two snapshots, one line each, for a failure message.</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after)
    {
        var lines = new List<string>();
        foreach (var (path, what) in before)
        {
            if (!after.TryGetValue(path, out var now))
            {
                lines.Add($"removed: {Show(path)} ({what})");
            }
            else if (now != what)
            {
                lines.Add($"changed: {Show(path)}: {what} => {now}");
            }
        }

        lines.AddRange(after.Keys.Where(p => !before.ContainsKey(p)).Select(p => $"created: {Show(p)} ({after[p]})"));
        return lines;
    }

    /// <summary>A raw-byte path made printable for a message.</summary>
    public static string Show(string path) => path.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);

    /// <summary>Runs a bash script with positional arguments; returns its stdout as raw bytes (Latin-1); fails the test if it fails.</summary>
    internal static string Run(string script, IReadOnlyList<string> args, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Bytes,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("bash");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = string.Empty;
        var errorReader = new Thread(() => error = process.StandardError.ReadToEnd());
        errorReader.Start();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"hung: {script}");
        }

        errorReader.Join();
        Assert.True(process.ExitCode == 0, $"`{script}` exited {process.ExitCode}: {error}");
        return output;
    }
}
