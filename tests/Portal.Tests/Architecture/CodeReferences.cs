using System.Reflection;
using System.Reflection.Emit;

namespace Portal.Tests.Architecture;

/// <summary>
/// Which types a type uses: in its signatures (base type, interfaces, fields, properties, parameters, return types)
/// and in its method bodies (the types, methods and fields its IL names), each flattened with
/// <see cref="TypeReferences.Flatten"/>. A method's or field's declaring type counts as used.
/// </summary>
internal static class CodeReferences
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static IEnumerable<Type> Of(Type type)
    {
        var used = new List<Type>();
        if (type.BaseType is { } baseType)
        {
            used.Add(baseType);
        }
        used.AddRange(type.GetInterfaces());
        used.AddRange(type.GetFields(Declared).Select(f => f.FieldType));
        used.AddRange(type.GetProperties(Declared).Select(p => p.PropertyType));
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            used.AddRange(method.GetParameters().Select(p => p.ParameterType));
            if (method is MethodInfo info)
            {
                used.Add(info.ReturnType);
            }
            used.AddRange(InBody(method));
        }
        return used.SelectMany(TypeReferences.Flatten).Distinct();
    }

    /// <summary>The members (types, methods, fields) a method's IL names.</summary>
    public static IEnumerable<MemberInfo> MembersInBody(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var i = 0;
        while (i < il.Length)
        {
            short value = il[i++];
            if (value == 0xFE)
            {
                value = unchecked((short)(0xFE00 | il[i++]));
            }
            var opCode = OpCodesByValue[value];
            switch (opCode.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    var token = BitConverter.ToInt32(il, i);
                    i += 4;
                    if (method.Module.ResolveMember(token, typeArguments, methodArguments) is { } member)
                    {
                        yield return member;
                    }
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + (4 * BitConverter.ToInt32(il, i));
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                default:
                    i += 4;
                    break;
            }
        }
    }

    private static IEnumerable<Type> InBody(MethodBase method)
    {
        foreach (var member in MembersInBody(method))
        {
            switch (member)
            {
                case Type t:
                    yield return t;
                    break;
                case MethodBase m:
                    if (m.DeclaringType is { } d)
                    {
                        yield return d;
                    }
                    if (m.IsGenericMethod)
                    {
                        foreach (var a in m.GetGenericArguments())
                        {
                            yield return a;
                        }
                    }
                    break;
                case FieldInfo f when f.DeclaringType is { } fd:
                    yield return fd;
                    break;
            }
        }
    }
}
