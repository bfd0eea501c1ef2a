using Pipeline.Tests.Hostile;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Exec;

/// <summary>What the end-to-end exec tests share: the command line of a run through either runner, and what a run left.</summary>
internal static class ExecRun
{
    /// <summary><c>run exec &lt;in&gt; -o &lt;out&gt;</c>, <c>--sequential</c> when asked, then <paramref name="rest"/> (options, then <c>--</c> and the command).</summary>
    public static string[] Args(HostileCase c, bool sequential, params string[] rest) =>
        ["run", "exec", c.In, "-o", c.Out, .. sequential ? (string[])["--sequential"] : [], .. rest];

    /// <summary>Every file under <paramref name="root"/> but the tool's own <c>.pipeline</c> folder, by relative path, with its bytes; empty when the folder does not exist.</summary>
    public static SortedDictionary<string, byte[]> Outputs(string root) =>
        new(Directory.Exists(root)
            ? HostileCase.FilesUnder(root).Where(f => !f.StartsWith(".pipeline/", StringComparison.Ordinal)).ToDictionary(f => f, f => File.ReadAllBytes(Path.Join(root, f)))
            : [], StringComparer.Ordinal);

    /// <summary>Asserts the files under <paramref name="root"/> (but <c>.pipeline</c>) are exactly <paramref name="expected"/>, byte for byte.</summary>
    public static void AssertOutputs(IReadOnlyDictionary<string, byte[]> expected, string root, ChildOutcome? outcome = null)
    {
        var actual = Outputs(root);
        Assert.True(
            expected.Keys.Order(StringComparer.Ordinal).SequenceEqual(actual.Keys),
            $"expected outputs [{string.Join(", ", expected.Keys.Order(StringComparer.Ordinal).Select(TreeSnapshot.Show))}], found [{string.Join(", ", actual.Keys.Select(TreeSnapshot.Show))}]\n{outcome}");
        foreach (var (path, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[path]), $"{TreeSnapshot.Show(path)}: expected \"{Printable(bytes)}\", found \"{Printable(actual[path])}\"\n{outcome}");
        }
    }

    /// <summary>Asserts none of the pids is a live process.</summary>
    public static void AssertAllDead(IEnumerable<int> pids, string what)
    {
        var alive = LinuxProcess.StillAliveAfterAWhile(pids);
        Assert.True(alive.Count == 0, $"{what} still running: {string.Join(", ", alive)}");
    }

    private static string Printable(byte[] bytes) => TreeSnapshot.Show(System.Text.Encoding.Latin1.GetString(bytes));
}
