using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Pipeline.Cli.Benchmarking;

/// <summary>What a saved bench result needs to explain itself: the machine, the date, the corpus and the build.</summary>
/// <param name="Cores">Logical cores the process may use.</param>
/// <param name="Cpu">The CPU model (from <c>/proc/cpuinfo</c> on Linux), or the architecture where unknown.</param>
/// <param name="Os">The operating system.</param>
/// <param name="Date">When the bench ran (UTC).</param>
/// <param name="Corpus">The corpus, e.g. "--size small, seed 42".</param>
/// <param name="Build">The tool's version and configuration, the runtime, and whether the JIT tiers.</param>
internal sealed record BenchContext(int Cores, string Cpu, string Os, DateTimeOffset Date, string Corpus, string Build)
{
    public static BenchContext Current(string corpus, TimeProvider? clock = null) => new(
        Environment.ProcessorCount,
        CpuModel(),
        RuntimeInformation.OSDescription,
        (clock ?? TimeProvider.System).GetUtcNow(),
        corpus,
        BuildDescription());

    /// <summary>One line: "2 cores (AMD EPYC), Linux 6.1; 2026-11-22 05:40 UTC".</summary>
    public string Machine => $"{Cores} cores ({Cpu}), {Os}; {Date.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC";

    private static string CpuModel()
    {
        try
        {
            if (OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo"))
            {
                var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                if (line is not null && line.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0)
                {
                    return line[(colon + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
            // An unreadable /proc/cpuinfo: the architecture below still says something.
        }

        return Environment.GetEnvironmentVariable("PROCESSOR_IDENTIFIER") ?? RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static string BuildDescription()
    {
        var assembly = typeof(BenchContext).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var configuration = assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "unknown";
        // A Native AOT build has no JIT, so no tiering to report (and no TieredCompilation switch: it would read "on").
        var compilation = !RuntimeFeature.IsDynamicCodeCompiled ? "Native AOT"
            : AppContext.TryGetSwitch("System.Runtime.TieredCompilation", out var on) && !on ? "tiering off" : "tiering on";
        return $"pipeline {version} ({configuration}), {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.RuntimeIdentifier}, {compilation}";
    }
}
