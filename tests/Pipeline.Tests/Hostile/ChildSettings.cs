namespace Pipeline.Tests.Hostile;

/// <summary>How to start one child run.</summary>
/// <param name="WorkingDirectory">The child's current folder (default: the case's root).</param>
/// <param name="Unprivileged">Run as uid/gid 65534 (nobody), through <c>setpriv</c>; needs root.</param>
/// <param name="Timeout">How long the child may take before it counts as hung (default <see cref="HostileCase.DefaultTimeout"/>).</param>
public sealed record ChildSettings(string? WorkingDirectory = null, bool Unprivileged = false, TimeSpan? Timeout = null);
