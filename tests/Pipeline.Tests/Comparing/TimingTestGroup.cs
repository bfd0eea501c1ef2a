namespace Pipeline.Tests.Comparing;

/// <summary>
/// Tests that run real comparisons and read the process's CPU time: they run one at a time and after the parallel tests,
/// so no other test's threads share the cores or the CPU clock with them.
/// </summary>
[CollectionDefinition(nameof(TimingTestGroup), DisableParallelization = true)]
public sealed class TimingTestGroup;
