using System.CommandLine;
using Pipeline.Cli.Transforms;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline transforms</c>: each built-in transform with a one-line description and its options.</summary>
internal static class TransformsCommand
{
    public static Command Create(CliConsole console, IReadOnlyList<TransformSpec> transforms)
    {
        var command = new Command("transforms", "List the built-in transforms and their options");
        command.SetAction(_ =>
        {
            foreach (var spec in transforms)
            {
                console.WriteOutProse($"{spec.Name}  {spec.Description}", indent: spec.Name.Length + 2);
                var probe = new Command(spec.Name);
                spec.AddOptions(probe);
                foreach (var option in probe.Options)
                {
                    var names = string.Join(", ", new[] { option.Name }.Concat(option.Aliases));
                    // A flag takes no value, so it shows no placeholder; the default is in the description, once.
                    var value = option.ValueType == typeof(bool) ? string.Empty : $" <{option.HelpName}>";
                    console.WriteOutProse($"    {names}{value}  {option.Description}", indent: 8);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
