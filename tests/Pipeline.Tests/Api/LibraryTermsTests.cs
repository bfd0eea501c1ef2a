using System.Text.RegularExpressions;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Api;

/// <summary>The library speaks in its own terms: no message in Pipeline.Core names a command-line flag.</summary>
public sealed partial class LibraryTermsTests
{
    [Fact]
    public void CoreSources_StringLiterals_NameNoCommandLineFlag()
    {
        var core = Path.Join(Path.GetDirectoryName(Corpus.TestDataRoot)!, "src/Pipeline.Core");
        var offenders = Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(core, f), Line: i + 1, Text: line)))
            .Where(l => !l.Text.TrimStart().StartsWith("//", StringComparison.Ordinal) && FlagInString().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        Assert.True(offenders.Count == 0, "messages naming a flag:\n" + string.Join('\n', offenders));
    }

    /// <summary>A string literal holding <c>--word</c>.</summary>
    [GeneratedRegex("\"[^\"]*--[a-z]")]
    private static partial Regex FlagInString();
}
