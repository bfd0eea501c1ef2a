using Pipeline.Cli.Comparing;

namespace Pipeline.Cli.Benchmarking;

/// <summary>One workload of a bench: its comparison, and its parallelism sweep when one was asked for.</summary>
/// <param name="Workload">The corpus and transform, named as in the throughput suite (<c>hash-small</c>, <c>gzip-large-text</c>, ...).</param>
/// <param name="Comparison">Sequential against pipeline.</param>
/// <param name="Sweep">The pipeline at each parallelism of the sweep, in the order given; empty without a sweep.</param>
internal sealed record BenchRow(string Workload, ComparisonResult Comparison, IReadOnlyList<SweepPoint> Sweep);
