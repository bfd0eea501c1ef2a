using System.Xml.Linq;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Packaging;

/// <summary>
/// Both packages, packed once per test run by the README's command into a temporary folder that serves as a package source,
/// plus what installing from it needs: a nuget.config, a packages folder of its own, and the version they were packed with.
/// </summary>
/// <remarks>
/// NuGet treats a package id + version as immutable: once <c>pipeline.core/1.0.0</c> sits in a global packages folder (from an
/// earlier run of this test, or a user's own pack), a restore takes it from there and never opens the feed, so a test packing
/// a fixed version could pass on yesterday's bits. So every run packs a version no cache can hold yet
/// (<c>-p:VersionSuffix=packtest&lt;random&gt;</c>, on top of the one <c>VersionPrefix</c>), and the tests check that the tool
/// and the library report exactly that version. Restores then use a packages folder of their own (<c>NUGET_PACKAGES</c>), so
/// the run adds nothing to the machine's cache, and list the machine's packages folder as a fallback folder, so that
/// CsvHelper, Dataflow and FileSystemGlobbing (already there from the solution's restore) need no download. The default
/// package sources stay configured for a machine that lacks them; <c>--ignore-failed-sources</c> keeps an offline machine working.
/// <c>dotnet tool install --tool-path</c> unpacks into that folder's own <c>.store</c>, never a shared cache. Two test runs at
/// once (two checkouts, say) share nothing either: each has its own folder, version and <c>--artifacts-path</c>.
/// </remarks>
public sealed class PackedFeed : IAsyncLifetime, IDisposable
{
    // The pack compiles the tool ahead of time (a minute or two on 2 idle cores, several on a busy machine).
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(15);

    private readonly TempDir _temp = new();

    public PackedFeed()
    {
        RepositoryRoot = Path.GetDirectoryName(Corpus.TestDataRoot)!;
        VersionPrefix = XDocument.Load(Path.Join(RepositoryRoot, "Directory.Build.props")).Descendants("VersionPrefix").Single().Value;
        Version = $"{VersionPrefix}-packtest{Guid.NewGuid().ToString("N")[..12]}";
        Directory.CreateDirectory(Feed);
        Directory.CreateDirectory(Work);
    }

    public string RepositoryRoot { get; }

    /// <summary>The version in Directory.Build.props.</summary>
    public string VersionPrefix { get; }

    /// <summary>The version both packages were packed with: <see cref="VersionPrefix"/> with a pre-release label no earlier run used.</summary>
    public string Version { get; }

    /// <summary>The folder <c>dotnet pack -o</c> wrote the .nupkg and .snupkg files to.</summary>
    public string Feed => _temp.Sub("feed");

    /// <summary>A folder holding a nuget.config that adds <see cref="Feed"/>: run restores and tool installs here.</summary>
    public string Work => _temp.Sub("work");

    /// <summary>NUGET_PACKAGES for the restores and installs: a packages folder of this run's own.</summary>
    public IReadOnlyDictionary<string, string?> RestoreEnvironment => new Dictionary<string, string?> { ["NUGET_PACKAGES"] = _temp.Sub("packages") };

    public async Task InitializeAsync()
    {
        var machinePackages = await MachinePackagesFolderAsync();
        // No <clear/>: the sources of the machine's own configuration stay, this feed is added to them.
        new XDocument(new XElement(
            "configuration",
            new XElement("packageSources", new XElement("add", new XAttribute("key", "pipeline-packed"), new XAttribute("value", Feed))),
            new XElement("fallbackPackageFolders", new XElement("add", new XAttribute("key", "machine"), new XAttribute("value", machinePackages)))))
            .Save(Path.Join(Work, "nuget.config"));

        // The README's command, into the feed. Its own --artifacts-path keeps the checkout's bin/ and obj/ (which this very
        // test run was built from) untouched; --disable-build-servers leaves no MSBuild node or compiler server behind.
        var pack = await ExternalCommand.RunAsync(
            ExternalCommand.Dotnet,
            ["pack", "Pipeline.sln", "-c", "Release", "-o", Feed, "--artifacts-path", _temp.Sub("artifacts"), "--disable-build-servers", "-p:VersionSuffix=" + Version[(VersionPrefix.Length + 1)..]],
            RepositoryRoot,
            PackTimeout);
        Assert.True(pack.ExitCode == 0, pack.ToString());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _temp.Dispose();

    private async Task<string> MachinePackagesFolderAsync()
    {
        // "global-packages: /root/.nuget/packages/": honours NUGET_PACKAGES and every nuget.config, as a restore does.
        var locals = await ExternalCommand.RunAsync(ExternalCommand.Dotnet, ["nuget", "locals", "global-packages", "--list"], RepositoryRoot, TimeSpan.FromMinutes(1));
        Assert.True(locals.ExitCode == 0, locals.ToString());
        return locals.Out.Trim()["global-packages:".Length..].Trim();
    }
}
