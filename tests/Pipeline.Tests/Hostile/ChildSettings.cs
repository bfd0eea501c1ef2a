namespace Pipeline.Tests.Hostile;

/// <summary>How to start one child run.</summary>
/// <param name="WorkingDirectory">The child's current folder (default: the case's root).</param>
/// <param name="Unprivileged">Run as uid/gid 65534 (nobody), through <c>setpriv</c>; needs root.</param>
/// <param name="Timeout">How long the child may take before it counts as hung (default <see cref="HostileCase.DefaultTimeout"/>).</param>
/// <param name="Environment">Variables set for the child (e.g. <c>TMPDIR</c>), beside those it inherits.</param>
public sealed record ChildSettings(string? WorkingDirectory = null, bool Unprivileged = false, TimeSpan? Timeout = null, IReadOnlyDictionary<string, string>? Environment = null);
