using System.Text.Json;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Cli;

/// <summary>
/// Issue #29's "no silent surprises", each as a user meets it on the real command: links left out, a glob that takes
/// nothing, a verify against the wrong root, a typo in a command or a transform, an enumerated value in capitals,
/// ragged CSV rows, a --where that compares numbers as text or has a mistyped operator, and the byte order of names.
/// </summary>
public sealed partial class SurpriseCliTests
{
    private static TempDir LinkedTree()
    {
        var temp = new TempDir();
        temp.Write("in/a.txt", "alpha");
        temp.Write("in/sub/b.txt", "bravo");
        File.CreateSymbolicLink(temp.Sub("in/file-link.txt"), temp.Sub("in/a.txt"));
        File.CreateSymbolicLink(temp.Sub("in/dir-link"), temp.Sub("in/sub"));
        File.CreateSymbolicLink(temp.Sub("in/broken.txt"), temp.Sub("in/nowhere"));
        return temp;
    }

    private static int JsonInt(string json, string name)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty(name).GetInt32();
    }
}
