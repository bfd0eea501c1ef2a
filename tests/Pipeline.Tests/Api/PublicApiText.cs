using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Pipeline.Tests.Api;

/// <summary>
/// The public surface of an assembly as text, one line a type or member, built by reflection:
/// <c>path: modifiers kind-or-type details</c>, e.g.
/// <c>Pipeline.Running.RunSummary.FromResults(System.Collections.Generic.IEnumerable&lt;Pipeline.Running.FileResult&gt; results, System.TimeSpan elapsed, bool cancelled = false): public static method -> Pipeline.Running.RunSummary</c>.
/// </summary>
/// <remarks>
/// Public and protected members of public types (nested public types included) are listed, with parameter names,
/// default values, nullable annotations, accessors (get, set, init), constants' values, enum members' values, base
/// types and interfaces. Members the compiler generates for records are listed like any other (Equals, Deconstruct,
/// op_Equality, ...) except those with unspeakable names (<c>&lt;Clone&gt;$</c>), which no C# caller can name;
/// a record class is marked <c>record</c> instead, because <c>with</c> works on it. Lines are sorted by path, then
/// ordinally, so the text is the same whatever order reflection returns members in.
/// </remarks>
internal static class PublicApiText
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(void)] = "void", [typeof(object)] = "object", [typeof(string)] = "string", [typeof(bool)] = "bool",
        [typeof(byte)] = "byte", [typeof(sbyte)] = "sbyte", [typeof(char)] = "char", [typeof(short)] = "short",
        [typeof(ushort)] = "ushort", [typeof(int)] = "int", [typeof(uint)] = "uint", [typeof(long)] = "long",
        [typeof(ulong)] = "ulong", [typeof(float)] = "float", [typeof(double)] = "double", [typeof(decimal)] = "decimal",
        [typeof(nint)] = "nint", [typeof(nuint)] = "nuint",
    };

    /// <summary>Every line of <paramref name="assembly"/>'s public surface, in canonical order.</summary>
    public static IReadOnlyList<string> Lines(Assembly assembly)
    {
        var lines = new List<string>();
        foreach (var type in assembly.GetTypes().Where(IsVisible))
        {
            var name = TypeName(type, null);
            lines.Add($"{name}: {TypeDescription(type)}");
            foreach (var member in type.GetMembers(Declared).Where(m => IsVisibleMember(type, m)))
            {
                if (Describe(name, member) is { } line)
                {
                    lines.Add(line);
                }
            }
        }

        return Canonical(lines);
    }

    /// <summary>The lines of a baseline file, in the same canonical order (blank lines and <c>#</c> comments left out).</summary>
    public static IReadOnlyList<string> Canonical(IEnumerable<string> fileLines) =>
        [.. fileLines
            .Select(l => l.TrimEnd())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .OrderBy(PathOf, StringComparer.Ordinal)
            .ThenBy(l => l, StringComparer.Ordinal)];

    /// <summary>The path part of a line: before the first <c>(</c> or <c>": "</c>, whichever comes first.</summary>
    private static string PathOf(string line)
    {
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        var paren = line.IndexOf('(', StringComparison.Ordinal);
        var end = paren >= 0 && (colon < 0 || paren < colon) ? paren : colon;
        return end < 0 ? line : line[..end];
    }

    private static bool IsVisible(Type type) =>
        type.IsPublic || ((type.IsNestedPublic || type.IsNestedFamily || type.IsNestedFamORAssem) && IsVisible(type.DeclaringType!));

    private static bool IsVisibleMember(Type owner, MemberInfo member)
    {
        if (member.Name.StartsWith('<') || member is Type)
        {
            // Unspeakable compiler names (<Clone>$); nested types are listed as types of their own.
            return false;
        }

        return member switch
        {
            MethodBase m => !(m is MethodInfo { IsSpecialName: true } && IsAccessor(owner, m)) && IsVisible(m.IsPublic, m.IsFamily, m.IsFamilyOrAssembly) && !(owner.IsSealed && m.IsFamily),
            FieldInfo f => !f.IsSpecialName && IsVisible(f.IsPublic, f.IsFamily, f.IsFamilyOrAssembly),
            PropertyInfo p => p.GetAccessors(nonPublic: true).Any(a => IsVisible(a.IsPublic, a.IsFamily, a.IsFamilyOrAssembly)),
            EventInfo e => e.AddMethod is { } add && IsVisible(add.IsPublic, add.IsFamily, add.IsFamilyOrAssembly),
            _ => false,
        };
    }

    private static bool IsVisible(bool isPublic, bool isFamily, bool isFamilyOrAssembly) => isPublic || isFamily || isFamilyOrAssembly;

    /// <summary>Whether <paramref name="method"/> is a property's or an event's accessor (listed with the property or event); operators are not.</summary>
    private static bool IsAccessor(Type owner, MethodBase method) =>
        owner.GetProperties(Declared).Any(p => p.GetAccessors(nonPublic: true).Contains(method))
        || owner.GetEvents(Declared).Any(e => e.AddMethod == method || e.RemoveMethod == method || e.RaiseMethod == method);

    private static string TypeDescription(Type type)
    {
        var parts = new List<string> { type.IsPublic || type.IsNestedPublic ? "public" : "protected" };
        string kind;
        if (type.IsInterface)
        {
            kind = "interface";
        }
        else if (type.IsEnum)
        {
            kind = "enum";
            var underlying = Enum.GetUnderlyingType(type);
            if (underlying != typeof(int))
            {
                kind += " : " + TypeName(underlying, null);
            }
        }
        else if (type.IsValueType)
        {
            kind = (type.IsDefined(typeof(IsReadOnlyAttribute), false) ? "readonly " : string.Empty) + "struct";
        }
        else if (type.IsSubclassOf(typeof(Delegate)))
        {
            kind = "delegate";
        }
        else
        {
            if (type.IsAbstract && type.IsSealed)
            {
                parts.Add("static");
            }
            else if (type.IsAbstract)
            {
                parts.Add("abstract");
            }
            else if (type.IsSealed)
            {
                parts.Add("sealed");
            }

            kind = type.GetMethod("<Clone>$", Declared) is not null ? "record class" : "class";
        }

        parts.Add(kind);
        var bases = new List<string>();
        if (type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType) && baseType != typeof(Enum))
        {
            bases.Add(TypeName(baseType, null));
        }

        if (!type.IsEnum)
        {
            bases.AddRange(type.GetInterfaces().Where(i => i.IsPublic || i.IsNestedPublic).Select(i => TypeName(i, null)).Order(StringComparer.Ordinal));
        }

        return string.Join(' ', parts) + (bases.Count > 0 ? " : " + string.Join(", ", bases) : string.Empty);
    }

    private static string? Describe(string typeName, MemberInfo member)
    {
        var nullability = new NullabilityInfoContext();
        switch (member)
        {
            case FieldInfo field when field.DeclaringType!.IsEnum:
                return $"{typeName}.{field.Name}: enum member = {Convert.ToString(field.GetRawConstantValue(), CultureInfo.InvariantCulture)}";
            case FieldInfo field:
            {
                var modifiers = Access(field.IsPublic, field.IsFamily) + (field.IsLiteral ? " const" : (field.IsStatic ? " static" : string.Empty) + (field.IsInitOnly ? " readonly" : string.Empty));
                var value = field.IsLiteral ? " = " + Literal(field.GetRawConstantValue(), field.FieldType) : string.Empty;
                var path = $"{typeName}.{field.Name}";
                return $"{path}: {modifiers} field {TypeName(field.FieldType, nullability.Create(field))}{value}";
            }

            case PropertyInfo property:
            {
                var getter = property.GetMethod is { } g && IsVisible(g.IsPublic, g.IsFamily, g.IsFamilyOrAssembly) ? g : null;
                var setter = property.SetMethod is { } s && IsVisible(s.IsPublic, s.IsFamily, s.IsFamilyOrAssembly) ? s : null;
                var accessor = (getter ?? setter)!;
                var accessors = new List<string>();
                if (getter is not null)
                {
                    accessors.Add(AccessorAccess(accessor, getter) + "get;");
                }

                if (setter is not null)
                {
                    var init = setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));
                    accessors.Add(AccessorAccess(accessor, setter) + (init ? "init;" : "set;"));
                }

                var index = property.GetIndexParameters();
                var path = index.Length > 0 ? $"{typeName}.this[{Parameters(index, nullability)}]" : $"{typeName}.{property.Name}";
                return $"{path}: {Access(accessor.IsPublic, accessor.IsFamily)}{MethodModifiers(accessor)} property {TypeName(property.PropertyType, nullability.Create(property))} {{ {string.Join(' ', accessors)} }}";
            }

            case EventInfo e:
            {
                var path = $"{typeName}.{e.Name}";
                return $"{path}: {Access(e.AddMethod!.IsPublic, e.AddMethod.IsFamily)}{MethodModifiers(e.AddMethod)} event {TypeName(e.EventHandlerType!, nullability.Create(e))}";
            }

            case ConstructorInfo ctor:
            {
                var path = $"{typeName}..ctor";
                return $"{path}({Parameters(ctor.GetParameters(), nullability)}): {Access(ctor.IsPublic, ctor.IsFamily)}{(ctor.IsStatic ? " static" : string.Empty)} constructor";
            }

            case MethodInfo method:
            {
                var generic = method.IsGenericMethodDefinition ? "<" + string.Join(", ", method.GetGenericArguments().Select(a => a.Name)) + ">" : string.Empty;
                var path = $"{typeName}.{method.Name}";
                var returns = TypeName(method.ReturnType, nullability.Create(method.ReturnParameter));
                return $"{path}{generic}({Parameters(method.GetParameters(), nullability)}): {Access(method.IsPublic, method.IsFamily)}{MethodModifiers(method)} method -> {returns}";
            }

            default:
                return null;
        }
    }

    private static string Access(bool isPublic, bool isFamily) => isPublic ? "public" : isFamily ? "protected" : "protected internal";

    /// <summary>An accessor's own access, when it differs from the property's (<c>protected set;</c>).</summary>
    private static string AccessorAccess(MethodInfo property, MethodInfo accessor) =>
        accessor.IsPublic == property.IsPublic && accessor.IsFamily == property.IsFamily ? string.Empty : Access(accessor.IsPublic, accessor.IsFamily) + " ";

    private static string MethodModifiers(MethodInfo method)
    {
        if (method.IsStatic)
        {
            return method.IsAbstract ? " static abstract" : method.IsVirtual ? " static virtual" : " static";
        }

        if (method.DeclaringType!.IsInterface)
        {
            return method.IsAbstract ? string.Empty : " default";
        }

        var isOverride = method.IsVirtual && method.GetBaseDefinition().DeclaringType != method.DeclaringType;
        return method switch
        {
            { IsAbstract: true } => " abstract",
            _ when isOverride => method.IsFinal ? " sealed override" : " override",
            { IsVirtual: true, IsFinal: false } => " virtual",
            _ => string.Empty,
        };
    }

    private static string Parameters(ParameterInfo[] parameters, NullabilityInfoContext nullability) =>
        string.Join(", ", parameters.Select(p => Parameter(p, nullability)));

    private static string Parameter(ParameterInfo parameter, NullabilityInfoContext nullability)
    {
        var type = parameter.ParameterType;
        var prefix = string.Empty;
        if (type.IsByRef)
        {
            type = type.GetElementType()!;
            prefix = parameter.IsOut ? "out " : parameter.IsIn ? "in " : "ref ";
        }
        else if (parameter.IsDefined(typeof(ParamArrayAttribute), false))
        {
            prefix = "params ";
        }

        var info = nullability.Create(parameter);
        var text = $"{prefix}{TypeName(type, info.ElementType is { } element && parameter.ParameterType.IsByRef ? element : info)} {parameter.Name}";
        return parameter.HasDefaultValue ? $"{text} = {Literal(parameter.RawDefaultValue, type)}" : text;
    }

    private static string Literal(object? value, Type type)
    {
        if (value is null)
        {
            return type.IsValueType && Nullable.GetUnderlyingType(type) is null ? "default" : "null";
        }

        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsEnum)
        {
            var member = Enum.ToObject(underlying, value);
            return Enum.IsDefined(underlying, member) ? $"{TypeName(underlying, null)}.{member}" : $"({TypeName(underlying, null)}){Convert.ToString(value, CultureInfo.InvariantCulture)}";
        }

        return value switch
        {
            string s => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
            char c => $"'{c}'",
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString()!,
        };
    }

    /// <summary>A type as C# writes it, fully qualified, with <c>?</c> where <paramref name="nullability"/> says it may be null.</summary>
    private static string TypeName(Type type, NullabilityInfo? nullability)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            return TypeName(inner, nullability?.GenericTypeArguments.FirstOrDefault()) + "?";
        }

        var mark = nullability is { ReadState: NullabilityState.Nullable } && !type.IsValueType ? "?" : string.Empty;
        if (type.IsArray)
        {
            return TypeName(type.GetElementType()!, nullability?.ElementType) + "[" + new string(',', type.GetArrayRank() - 1) + "]" + mark;
        }

        if (type.IsGenericParameter)
        {
            return type.Name + mark;
        }

        if (type.IsPointer)
        {
            return TypeName(type.GetElementType()!, null) + "*";
        }

        if (Keywords.TryGetValue(type, out var keyword))
        {
            return keyword + mark;
        }

        var name = type.IsNested ? TypeName(type.DeclaringType!, null) + "." + type.Name : type.Namespace + "." + type.Name;
        if (type.IsGenericType)
        {
            var tick = name.IndexOf('`', StringComparison.Ordinal);
            name = tick >= 0 ? name[..tick] : name;
            var arguments = type.GetGenericArguments();
            var infos = nullability?.GenericTypeArguments;
            name += "<" + string.Join(", ", arguments.Select((a, i) => TypeName(a, infos is { Length: > 0 } && i < infos.Length ? infos[i] : null))) + ">";
        }

        return name + mark;
    }
}
