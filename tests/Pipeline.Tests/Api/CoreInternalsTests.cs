using System.Reflection;
using System.Runtime.CompilerServices;
using Pipeline.Running;

namespace Pipeline.Tests.Api;

/// <summary>
/// The command line is the library's first embedder (issue #30): it builds against Core's public API alone, so what it
/// needs is either public for every embedder or its own. Core's internals are visible to its tests and benchmarks only;
/// an <c>InternalsVisibleTo</c> for the <c>pipeline</c> assembly (or any other) coming back fails here.
/// </summary>
public sealed class CoreInternalsTests
{
    [Fact]
    public void InternalsVisibleTo_OfCore_OnlyTheTestsAndTheBenchmarks()
    {
        var sut = typeof(DataflowRunner).Assembly.GetCustomAttributes<InternalsVisibleToAttribute>()
            .Select(a => a.AssemblyName.Split(',')[0].Trim())
            .Order(StringComparer.Ordinal);

        Assert.Equal(["Pipeline.Benchmarks", "Pipeline.Tests"], sut);
    }

    [Fact]
    public void InternalsVisibleTo_OfCore_NotTheCommandLine()
    {
        var cli = typeof(Pipeline.Cli.CliApp).Assembly.GetName().Name!;

        var sut = typeof(DataflowRunner).Assembly.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName.Split(',')[0].Trim());

        Assert.Equal("pipeline", cli);
        Assert.DoesNotContain(cli, sut, StringComparer.OrdinalIgnoreCase);
    }
}
