namespace Pipeline.Tests.Support;

/// <summary>A Unix fact about file permissions, which root reads through; shown as skipped when run as root or on Windows.</summary>
public sealed class NonRootFactAttribute : FactAttribute
{
    public NonRootFactAttribute()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName == "root")
        {
            Skip = "file permissions do not stop root (or this is Windows)";
        }
    }
}
