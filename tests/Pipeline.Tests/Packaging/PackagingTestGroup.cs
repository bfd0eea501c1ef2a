namespace Pipeline.Tests.Packaging;

/// <summary>
/// The packaging tests pack, install and build with the real SDK (about a minute and a half on two cores): they share one
/// <see cref="PackedFeed"/>, run one at a time, and run alone, after the other tests, so neither slows the other down.
/// </summary>
[CollectionDefinition(nameof(PackagingTestGroup), DisableParallelization = true)]
public sealed class PackagingTestGroup : ICollectionFixture<PackedFeed>;
