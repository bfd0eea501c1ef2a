using System.Runtime.InteropServices;

namespace Pipeline.Tests.Support;

/// <summary>A fact about what only a linux-x64 machine builds (the tool's Native AOT package); shown as skipped elsewhere.</summary>
public sealed class LinuxX64FactAttribute : FactAttribute
{
    public LinuxX64FactAttribute()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
        {
            Skip = "needs linux-x64";
        }
    }
}
