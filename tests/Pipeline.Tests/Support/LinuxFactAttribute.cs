namespace Pipeline.Tests.Support;

/// <summary>A fact that needs Linux (coreutils, file names with newlines, signals); shown as skipped elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "needs Linux";
        }
    }
}
