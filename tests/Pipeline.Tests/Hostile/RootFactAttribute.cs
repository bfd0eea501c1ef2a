namespace Pipeline.Tests.Hostile;

/// <summary>A fact that needs root (to switch to an unprivileged user, to mount); shown as skipped, with the reason, otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    /// <param name="need">What root is needed for, e.g. "to switch to an unprivileged user".</param>
    public RootFactAttribute(string need)
    {
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
        {
            Skip = $"needs root {need} (Linux)";
        }
    }
}
