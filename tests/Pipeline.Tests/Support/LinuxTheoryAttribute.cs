namespace Pipeline.Tests.Support;

/// <summary>A theory that needs Linux (coreutils, file names with newlines, signals); shown as skipped elsewhere.</summary>
public sealed class LinuxTheoryAttribute : TheoryAttribute
{
    public LinuxTheoryAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "needs Linux";
        }
    }
}
