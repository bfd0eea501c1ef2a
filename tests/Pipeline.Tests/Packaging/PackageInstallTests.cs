using System.IO.Compression;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Packaging;

/// <summary>
/// SLOW (about three minutes, most of it the pack and its Native AOT compile): the two packages as a user gets them. <c>dotnet pack</c> into a
/// temporary feed (<see cref="PackedFeed"/>), then <c>dotnet tool install</c> from it and a console program that takes
/// Pipeline.Core by PackageReference from it. Leave them out with <c>--filter Category!=Slow</c>.
/// </summary>
[Collection(nameof(PackagingTestGroup))]
[Trait("Category", "Slow")]
public sealed partial class PackageInstallTests(PackedFeed feed)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(3);

    private string TestData => Path.Join(feed.RepositoryRoot, "testdata");

    [LinuxX64Fact]
    public async Task ToolPackage_InstalledIntoAToolPath_IsTheNativeAotExecutable_PrintsItsVersionAndWritesAManifestSha256sumAccepts()
    {
        using var temp = new TempDir();
        var tools = temp.Sub("tools");

        // The README's command for a service account, run where no nuget.config adds the feed: --add-source alone must do.
        var install = await DotnetAsync(temp.Path, "tool", "install", "--tool-path", tools, "--add-source", feed.Feed, "--ignore-failed-sources", "pipeline", "--version", feed.Version);
        Assert.True(install.ExitCode == 0, install.ToString());
        var pipeline = Path.Join(tools, "pipeline");

        // linux-x64 gets the Native AOT package: the command is its executable itself (the framework-dependent build
        // would be a small apphost that loads libhostfxr.so, then pipeline.dll beside it, through the .NET runtime).
        var executable = new FileInfo(pipeline).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? pipeline;
        var bytes = await File.ReadAllBytesAsync(executable);
        Assert.Contains($"{Path.DirectorySeparatorChar}pipeline.linux-x64{Path.DirectorySeparatorChar}", executable, StringComparison.Ordinal);
        Assert.Equal("\u007fELF"u8.ToArray(), bytes[..4]);
        Assert.Equal(-1, bytes.AsSpan().IndexOf("libhostfxr"u8));
        Assert.False(File.Exists(Path.Join(Path.GetDirectoryName(executable), "pipeline.dll")), "pipeline.dll beside the installed executable");

        var version = await ExternalCommand.RunAsync(pipeline, ["--version"], temp.Path, CommandTimeout);
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.Equal(feed.Version, version.Out.Split('\n')[0]); // then the engines, a line each (VersionCliTests)

        var output = temp.Sub("out");
        var run = await ExternalCommand.RunAsync(pipeline, ["run", "hash", "testdata", "-o", output, "--quiet"], feed.RepositoryRoot, CommandTimeout);
        Assert.True(run.ExitCode == 0, run.ToString());
        await AssertSha256sumAcceptsAsync(Path.Join(output, "SHA256SUMS"), TestData);
    }

    [LinuxFact]
    public async Task LibraryPackage_ReferencedByAConsoleProgram_RunsATransformOfItsOwnTheBlockAndTheAsyncStreamThroughThePublicApiOnly()
    {
        using var temp = new TempDir();
        // Inside the feed's work folder, so that its nuget.config (feed added, machine's packages as fallback) applies.
        var project = Path.Join(feed.Work, "hasher-" + Path.GetFileName(temp.Path));
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Join(project, "hasher.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Pipeline.Core" Version="{feed.Version}" />
              </ItemGroup>
            </Project>
            """);
        // Built against the packed library alone, so only its public surface: a run, a transform of our own, the block,
        // results as an async stream left early, and the kinds of failure an embedder switches on.
        File.WriteAllText(Path.Join(project, "Program.cs"), """
            using System.Buffers;
            using System.IO.Compression;
            using System.Reflection;
            using System.Threading.Tasks.Dataflow;
            using Pipeline.Compression;
            using Pipeline.Hashing;
            using Pipeline.Running;
            using Pipeline.Sources;
            using Pipeline.Transforms;

            var (input, output, scratch) = (args[0], args[1], args[2]);
            var library = typeof(DataflowRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
            var summary = await DataflowRunner.RunAsync(new HashTransform(), new PipelineOptions(new FileSelection(input), output));
            Console.WriteLine($"Pipeline.Core {library}: {summary.FilesSucceeded} ok, {summary.FilesFailed} failed");
            var failures = new List<string>();
            void Check(bool ok, string what) { if (!ok) failures.Add(what); }

            // A transform of our own, through the block linked into our own mesh.
            var block = DataflowRunner.CreateBlock(new Upper(), new PipelineOptions(new FileSelection(input), Path.Join(scratch, "upper")));
            var results = new List<FileResult>();
            var sink = new ActionBlock<FileResult>(results.Add);
            block.LinkTo(sink, new DataflowLinkOptions { PropagateCompletion = true });
            var one = Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
            await block.SendAsync(new SourceFile(Path.GetRelativePath(input, one), one, new FileInfo(one).Length, File.GetLastWriteTimeUtc(one)));
            block.Complete();
            await sink.Completion;
            Check(results is [{ Status: FileStatus.Succeeded }], "block: one file upper-cased");
            Check(File.ReadAllText(Path.Join(scratch, "upper", Path.GetRelativePath(input, one) + ".up")) == File.ReadAllText(one).ToUpperInvariant(), "block: the output's bytes");

            // Results as an async stream, left at the first bad file: 1.gz and 2.gz good, 3.gz not gzip, 4.gz and 5.gz good.
            var gz = Path.Join(scratch, "gz");
            Directory.CreateDirectory(gz);
            foreach (var i in new[] { 1, 2, 4, 5 })
            {
                using var file = new GZipStream(File.Create(Path.Join(gz, $"{i}.gz")), CompressionLevel.Fastest);
                file.Write(new byte[300_000]);
            }
            File.WriteAllText(Path.Join(gz, "3.gz"), "not gzip");
            var seen = new List<(string, FileErrorKind)>();
            var unzipped = Path.Join(scratch, "unzipped");
            await foreach (var result in DataflowRunner.StreamResultsAsync(new GunzipTransform(), new PipelineOptions(new FileSelection(gz), unzipped)))
            {
                seen.Add((result.RelativePath, result.ErrorKind));
                if (result.ErrorKind != FileErrorKind.None)
                {
                    Check(result.Exception is not null && result.Error is { Length: > 0 }, "stream: a failure keeps its exception and message");
                    break;
                }
            }
            Check(seen.SequenceEqual([("1.gz", FileErrorKind.None), ("2.gz", FileErrorKind.None), ("3.gz", FileErrorKind.BadData)]), "stream: results in walk order up to the bad file: " + string.Join(", ", seen));
            Check(!Directory.EnumerateFiles(unzipped, "*", SearchOption.AllDirectories).Any(f => f.EndsWith(".tmp", StringComparison.Ordinal)), "stream: no temporary file left after the loop");
            var again = await DataflowRunner.RunAsync(new GunzipTransform(), new PipelineOptions(new FileSelection(gz), unzipped));
            Check(again.FilesSucceeded == 4 && again.FilesFailed == 1, $"stream: the output folder unlocked, a new run does the rest ({again.FilesSucceeded} ok, {again.FilesFailed} failed)");

            foreach (var failure in failures)
            {
                Console.Error.WriteLine("FAILED " + failure);
            }

            return failures.Count == 0 && summary.FilesFailed == 0 && summary.FilesSucceeded > 0 ? 0 : 1;

            sealed class Upper : IFileTransform
            {
                public string Name => "upper";
                public string Fingerprint => "upper:1";
                public string? GetOutputPath(string relativePath) => relativePath + ".up";
                public IFileProcessor CreateProcessor(SourceFile file) => new Processor();
                public IReadOnlyList<AggregateOutput> CreateAggregateOutputs(IReadOnlyList<FileResult> succeeded) => [];

                private sealed class Processor : IFileProcessor
                {
                    public void Append(ReadOnlySpan<byte> chunk, IBufferWriter<byte> output)
                    {
                        var upper = output.GetSpan(chunk.Length);
                        for (var i = 0; i < chunk.Length; i++)
                        {
                            upper[i] = chunk[i] is >= (byte)'a' and <= (byte)'z' ? (byte)(chunk[i] - 32) : chunk[i];
                        }
                        output.Advance(chunk.Length);
                    }
                    public object? Complete(IBufferWriter<byte> output) => null;
                    public void Dispose() { }
                }
            }
            """);

        var restore = await DotnetAsync(project, "restore", "--ignore-failed-sources", "--disable-build-servers");
        Assert.True(restore.ExitCode == 0, restore.ToString());
        var build = await DotnetAsync(project, "build", "-c", "Release", "--no-restore", "--disable-build-servers", "-o", temp.Sub("bin"));
        Assert.True(build.ExitCode == 0, build.ToString());

        var output = temp.Sub("out");
        var run = await DotnetAsync(project, Path.Join(temp.Sub("bin"), "hasher.dll"), TestData, output, temp.Sub("scratch"));
        Assert.True(run.ExitCode == 0, run.ToString());
        // The version proves the program ran the library just packed, not a cached Pipeline.Core.
        Assert.StartsWith($"Pipeline.Core {feed.Version}: ", run.Out, StringComparison.Ordinal);
        Assert.EndsWith(" ok, 0 failed\n", run.Out, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Error);
        await AssertSha256sumAcceptsAsync(Path.Join(output, "SHA256SUMS"), TestData);
    }

    [Fact]
    public void LibraryPackage_Contents_HoldReadmeXmlDocsLicenceRepositoryAndSymbols()
    {
        using var package = ZipFile.OpenRead(Path.Join(feed.Feed, $"Pipeline.Core.{feed.Version}.nupkg"));
        using var symbols = ZipFile.OpenRead(Path.Join(feed.Feed, $"Pipeline.Core.{feed.Version}.snupkg"));
        var nuspec = ReadNuspec(package);
        string? Meta(string name) => nuspec.Element(nuspec.Name.Namespace + name)?.Value;
        var repository = nuspec.Element(nuspec.Name.Namespace + "repository");
        var license = nuspec.Element(nuspec.Name.Namespace + "license");

        Assert.Equal("Pipeline.Core", Meta("id"));
        Assert.Equal(feed.Version, Meta("version"));
        Assert.Equal(("expression", "MIT"), ((string?)license?.Attribute("type"), license?.Value));
        Assert.Equal("README.md", Meta("readme"));
        Assert.Equal(File.ReadAllText(Path.Join(feed.RepositoryRoot, "README.md")), ReadText(package, "README.md"));
        Assert.Equal("git", (string?)repository?.Attribute("type"));
        Assert.Matches(CommitHash(), (string?)repository?.Attribute("commit") ?? string.Empty);
        Assert.NotNull(package.GetEntry("lib/net10.0/Pipeline.Core.dll"));
        Assert.Contains("<member name=\"M:Pipeline.Running.DataflowRunner.RunAsync(", ReadText(package, "lib/net10.0/Pipeline.Core.xml"), StringComparison.Ordinal);
        Assert.NotNull(symbols.GetEntry("lib/net10.0/Pipeline.Core.pdb"));
        Assert.Equal(
            ["CsvHelper", "Microsoft.Extensions.FileSystemGlobbing", "System.IO.Hashing", "System.Threading.Tasks.Dataflow", "ZstdSharp.Port"],
            nuspec.Descendants(nuspec.Name.Namespace + "dependency").Select(d => (string)d.Attribute("id")!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void LibraryPackage_Assembly_CarriesThePackageVersion()
    {
        // Its public surface is the one pinned in PublicAPI.*.txt: the pack builds it with the analyzer that checks them.
        using var package = ZipFile.OpenRead(Path.Join(feed.Feed, $"Pipeline.Core.{feed.Version}.nupkg"));
        using var dll = new MemoryStream();
        using (var entry = package.GetEntry("lib/net10.0/Pipeline.Core.dll")!.Open())
        {
            entry.CopyTo(dll);
        }

        dll.Position = 0;
        // Its own load context: the test's own Pipeline.Core is already loaded; the dependencies come from the default one.
        var context = new AssemblyLoadContext("packed Pipeline.Core", isCollectible: true);
        try
        {
            var packed = context.LoadFromStream(dll);

            Assert.Equal(feed.Version, packed.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);
        }
        finally
        {
            context.Unload();
        }
    }

    [LinuxX64Fact]
    public void ToolPackages_Contents_PointToTheNativeAotBuildForLinuxX64AndTheFrameworkDependentOneForEveryOtherRid()
    {
        using var pointer = ZipFile.OpenRead(Path.Join(feed.Feed, $"pipeline.{feed.Version}.nupkg"));
        using var aot = ZipFile.OpenRead(Path.Join(feed.Feed, $"pipeline.linux-x64.{feed.Version}.nupkg"));
        using var any = ZipFile.OpenRead(Path.Join(feed.Feed, $"pipeline.any.{feed.Version}.nupkg"));
        var settings = XDocument.Parse(ReadText(pointer, "tools/any/any/DotnetToolSettings.xml"));
        var aotCommand = XDocument.Parse(ReadText(aot, "tools/any/linux-x64/DotnetToolSettings.xml")).Descendants("Command").Single();
        var anyCommand = XDocument.Parse(ReadText(any, "tools/net10.0/any/DotnetToolSettings.xml")).Descendants("Command").Single();

        // The pointer package: what `dotnet tool install pipeline` finds; it names the package for each RID.
        Assert.Equal("DotnetTool", PackageType(pointer));
        Assert.Equal("pipeline", (string?)settings.Descendants("Command").Single().Attribute("Name"));
        Assert.Equal(
            [("linux-x64", "pipeline.linux-x64"), ("any", "pipeline.any")],
            settings.Descendants("RuntimeIdentifierPackage").Select(p => ((string?)p.Attribute("RuntimeIdentifier"), (string?)p.Attribute("Id"))));
        // linux-x64: the Native AOT executable, run as it is, without its 17 MB of debug symbols.
        Assert.Equal("DotnetToolRidPackage", PackageType(aot));
        Assert.Equal(("pipeline", "executable"), ((string?)aotCommand.Attribute("EntryPoint"), (string?)aotCommand.Attribute("Runner")));
        Assert.NotNull(aot.GetEntry("tools/any/linux-x64/pipeline"));
        Assert.DoesNotContain(aot.Entries, e => e.FullName.EndsWith(".dll", StringComparison.Ordinal) || e.FullName.EndsWith(".dbg", StringComparison.Ordinal));
        // Every other RID: the framework-dependent build, run by dotnet.
        Assert.Equal("DotnetToolRidPackage", PackageType(any));
        Assert.Equal(("pipeline.dll", "dotnet"), ((string?)anyCommand.Attribute("EntryPoint"), (string?)anyCommand.Attribute("Runner")));
        Assert.NotNull(any.GetEntry("tools/net10.0/any/pipeline.dll"));
    }

    private static string? PackageType(ZipArchive package)
    {
        var nuspec = ReadNuspec(package);
        return (string?)nuspec.Descendants(nuspec.Name.Namespace + "packageType").Single().Attribute("name");
    }

    private static XElement ReadNuspec(ZipArchive package)
    {
        var nuspec = XDocument.Parse(ReadText(package, package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).FullName)).Root!;
        return nuspec.Element(nuspec.Name.Namespace + "metadata")!;
    }

    private static string ReadText(ZipArchive package, string path)
    {
        using var reader = new StreamReader(package.GetEntry(path)?.Open() ?? throw new FileNotFoundException($"not in the package: {path}"));
        return reader.ReadToEnd();
    }

    /// <summary><c>sha256sum --check --strict</c> in <paramref name="root"/> passes, with one OK line for every file under it.</summary>
    private static async Task AssertSha256sumAcceptsAsync(string manifest, string root)
    {
        var check = await ExternalCommand.RunAsync("sha256sum", ["--check", "--strict", manifest], root, CommandTimeout);
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Count();

        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Equal(files, check.Out.Split('\n').Count(l => l.EndsWith(": OK", StringComparison.Ordinal)));
    }

    private Task<CommandOutcome> DotnetAsync(string workingDirectory, params string[] arguments) =>
        ExternalCommand.RunAsync(ExternalCommand.Dotnet, arguments, workingDirectory, CommandTimeout, feed.RestoreEnvironment);

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitHash();
}
