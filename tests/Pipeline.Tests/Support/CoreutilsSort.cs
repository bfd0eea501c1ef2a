using System.Text;

namespace Pipeline.Tests.Support;

/// <summary>The real <c>LC_ALL=C sort</c>: the byte order the tool promises for every path it lists.</summary>
public static class CoreutilsSort
{
    /// <summary>The names as <c>LC_ALL=C sort -z</c> orders them (a file of them is written in <paramref name="temp"/>).</summary>
    public static async Task<string[]> SortAsync(TempDir temp, IEnumerable<string> names)
    {
        var list = temp.Write("names", Encoding.UTF8.GetBytes(string.Join('\0', names) + "\0"));
        var sorted = await ExternalCommand.RunAsync("sort", ["-z", list], temp.Path, TimeSpan.FromSeconds(30), new Dictionary<string, string?> { ["LC_ALL"] = "C" });
        Assert.True(sorted.ExitCode == 0, sorted.ToString());
        return sorted.Out.TrimEnd('\0').Split('\0');
    }
}
