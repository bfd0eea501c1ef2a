using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using Pipeline.Transforms;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline --version</c>: the version on the first line, as before (scripts read that line), then one line per
/// engine in use on this machine: gzip's differs between machines (libdeflate where it is installed), and a figure
/// measured with one engine says nothing about the other.
/// </summary>
internal sealed class VersionWithEngines(CliConsole console) : SynchronousCommandLineAction
{
    /// <summary>The version of the tool: <c>VersionPrefix</c> of Directory.Build.props, with its suffix, without a commit hash.</summary>
    public static string Version =>
        typeof(VersionWithEngines).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>What <c>--version</c> prints, a line each: the version, then the library's engines (<see cref="Engines.Describe"/>).</summary>
    public static IReadOnlyList<string> Lines() => [Version, .. Engines.Describe()];

    /// <summary>Puts this action on the root's <see cref="VersionOption"/>, in place of the one that prints the version alone.</summary>
    public static void ReplaceOn(RootCommand root, CliConsole console)
    {
        foreach (var option in root.Options.OfType<VersionOption>())
        {
            option.Action = new VersionWithEngines(console);
        }
    }

    /// <inheritdoc/>
    public override int Invoke(ParseResult parseResult)
    {
        foreach (var line in Lines())
        {
            console.Out.WriteLine(line);
        }

        return ExitCodes.Success;
    }
}
