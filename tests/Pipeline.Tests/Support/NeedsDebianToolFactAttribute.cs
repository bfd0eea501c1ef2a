namespace Pipeline.Tests.Support;

/// <summary>A fact that needs a program from a Debian package: runs where the program is, or where the test can install it; skipped elsewhere, saying what to install.</summary>
public sealed class NeedsDebianToolFactAttribute : FactAttribute
{
    public NeedsDebianToolFactAttribute(string program, string package)
    {
        if (DebianTool.Find(program) is null && !DebianTool.CanInstall)
        {
            Skip = $"needs {program} (Debian package {package}), which is not installed and cannot be installed here (apt-get as root): install it to run this test";
        }
    }
}
