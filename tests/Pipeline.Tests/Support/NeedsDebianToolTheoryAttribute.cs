namespace Pipeline.Tests.Support;

/// <summary>A theory that needs a program from a Debian package: as <see cref="NeedsDebianToolFactAttribute"/>, for a theory.</summary>
public sealed class NeedsDebianToolTheoryAttribute : TheoryAttribute
{
    public NeedsDebianToolTheoryAttribute(string program, string package)
    {
        if (DebianTool.Find(program) is null && !DebianTool.CanInstall)
        {
            Skip = $"needs {program} (Debian package {package}), which is not installed and cannot be installed here (apt-get as root): install it to run this test";
        }
    }
}
