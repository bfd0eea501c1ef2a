using System.Diagnostics;
using Pipeline.Tests.Support;
using Pipeline.Text;

namespace Pipeline.Tests.Text;

/// <summary>
/// The committed tables are what their generator prints: a hand edit of <c>UnicodeNfc.Data.cs</c>, or a change to the
/// generator that was not run, fails here. Runs where a Python with the tables' Unicode version is installed.
/// </summary>
public sealed class UnicodeNfcGeneratorTests
{
    private static string TextFolder => Path.Join(Path.GetDirectoryName(Corpus.TestDataRoot)!, "src", "Pipeline.Core", "Text");

    [PythonUnicodeFact(UnicodeNfc.UnicodeVersion)]
    public async Task Generator_RunNow_PrintsTheCommittedTables()
    {
        var sut = Path.Join(TextFolder, "generate-unicode-nfc.py");

        var run = await ExternalCommand.RunAsync("python3", [sut], TextFolder, TimeSpan.FromMinutes(2));

        Assert.True(run.ExitCode == 0, run.ToString());
        var committed = await File.ReadAllTextAsync(Path.Join(TextFolder, "UnicodeNfc.Data.cs"));
        Assert.True(committed == run.Out, "UnicodeNfc.Data.cs is not what generate-unicode-nfc.py prints: run it (see its header) and commit the result");
    }

    /// <summary>Skipped, saying why, where python3 is missing or its <c>unicodedata</c> has another Unicode version.</summary>
    private sealed class PythonUnicodeFactAttribute : FactAttribute
    {
        public PythonUnicodeFactAttribute(string version)
        {
            var found = UnicodeVersionOfPython();
            if (found != version)
            {
                Skip = $"needs python3 with Unicode {version} in unicodedata (Python 3.11); found {found ?? "no python3"}";
            }
        }

        private static string? UnicodeVersionOfPython()
        {
            try
            {
                using var python = Process.Start(new ProcessStartInfo("python3", ["-c", "import unicodedata; print(unicodedata.unidata_version)"]) { RedirectStandardOutput = true, UseShellExecute = false });
                var version = python!.StandardOutput.ReadToEnd().Trim();
                python.WaitForExit();
                return python.ExitCode == 0 ? version : null;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null;
            }
        }
    }
}
