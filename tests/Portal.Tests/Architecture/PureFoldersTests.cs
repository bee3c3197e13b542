using System.Reflection;
using Portal.Tests.Support;

namespace Portal.Tests.Architecture;

/// <summary>
/// The pure folders stay free of ASP.NET Core: the access-control engine, sessions and regulation work on plain
/// values (a target, a subject, cookie header strings), so they can be reasoned about and tested without HTTP, and
/// every front (authz endpoints, gateway, check-policy) asks them the same question.
/// </summary>
public sealed class PureFoldersTests
{
    public static TheoryData<string> PureNamespaces => new() { "Portal.AccessControl", "Portal.Session", "Portal.Regulation" };

    [Theory]
    [MemberData(nameof(PureNamespaces))]
    public void No_type_in_a_pure_folder_exposes_or_holds_an_aspnetcore_type(string ns)
    {
        var assembly = typeof(Portal.AccessControl.AccessControlEngine).Assembly;
        var offenders = new List<string>();
        var types = assembly.GetTypes().Where(t => t.Namespace == ns).ToList();
        Assert.NotEmpty(types);
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in types)
        {
            var used = new List<(string Where, Type Type)>();
            if (type.BaseType is { } baseType)
            {
                used.Add(("base type", baseType));
            }
            used.AddRange(type.GetInterfaces().Select(i => ("interface", i)));
            used.AddRange(type.GetFields(all).Select(f => ($"field {f.Name}", f.FieldType)));
            used.AddRange(type.GetProperties(all).Select(p => ($"property {p.Name}", p.PropertyType)));
            foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                used.AddRange(method.GetParameters().Select(p => ($"{method.Name}({p.Name})", p.ParameterType)));
                if (method is MethodInfo info)
                {
                    used.Add(($"{method.Name} returns", info.ReturnType));
                }
            }
            foreach (var (where, used1) in used)
            {
                if (TypeReferences.Flatten(used1).FirstOrDefault(IsAspNetCore) is { } web)
                {
                    offenders.Add($"{type.FullName}: {where} uses {web.FullName}");
                }
            }
        }
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [Theory]
    [MemberData(nameof(PureNamespaces))]
    public void No_source_file_in_a_pure_folder_imports_aspnetcore(string ns)
    {
        var folder = Path.Combine(RepositoryFiles.Root, "src", "Portal", ns["Portal.".Length..]);
        var files = Directory.GetFiles(folder, "*.cs");
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.DoesNotContain("using Microsoft.AspNetCore", File.ReadAllText(f), StringComparison.Ordinal));
    }

    private static bool IsAspNetCore(Type type) =>
        (type.Namespace ?? "").StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal);
}
