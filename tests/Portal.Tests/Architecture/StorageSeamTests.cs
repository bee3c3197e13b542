using System.Reflection;
using System.Text.RegularExpressions;

namespace Portal.Tests.Architecture;

/// <summary>
/// The storage seam: each engine lives in its folder alone (<c>Storage/Sqlite</c>, <c>Storage/Postgres</c>). Features
/// see store interfaces and <c>StorageException</c>s, never an engine's client type (Microsoft.Data.Sqlite, Npgsql),
/// and each table is read and written by the one store that owns it.
/// </summary>
public sealed partial class StorageSeamTests
{
    /// <summary>Each engine: its folder (and namespace) under <c>Storage/</c>, and its client library's namespaces.</summary>
    public static TheoryData<string, string> Engines => new()
    {
        { "Sqlite", @"^(Microsoft\.Data\.Sqlite|SQLitePCL)" },
        { "Postgres", @"^Npgsql" },
    };

    /// <summary>
    /// Each table and the owner whose SQL may touch it; the schema's tables must all be listed. The owner's file is
    /// the store written once for every engine (<c>Storage/Stores/&lt;owner&gt;.cs</c>), the engines' shared base
    /// (<c>Storage/Storage&lt;owner&gt;.cs</c>), or an engine's own (<c>Storage/&lt;Engine&gt;/&lt;Engine&gt;&lt;owner&gt;.cs</c>).
    /// </summary>
    private static readonly Dictionary<string, string?> TableOwners = new(StringComparer.Ordinal)
    {
        ["authentication_logs"] = "AuthenticationLogStore",
        ["banned_user"] = "AuthenticationLogStore",
        ["banned_ip"] = "AuthenticationLogStore",
        ["one_time_code"] = "OneTimeCodeStore",
        ["webauthn_users"] = "WebAuthnCredentialStore",
        ["webauthn_credentials"] = "WebAuthnCredentialStore",
        ["webauthn_used_ceremonies"] = "UsedCeremonyStore",
        ["passkey_enrollment_snooze"] = "PasskeyOfferStore",
        ["totp_configurations"] = "TotpConfigurationStore",
        ["recovery_codes"] = "RecoveryCodeStore",
        ["encryption"] = "Database",
        ["migrations"] = "Migrator",
        // Created by V0001 for Authelia's schema; nothing reads or writes it yet.
        ["user_preferences"] = null,
    };

    [Theory]
    [MemberData(nameof(Engines))]
    public void No_type_outside_an_engine_exposes_or_holds_its_client_library_type(string engine, string clientNamespaces)
    {
        var engineNamespace = "Portal.Storage." + engine;
        bool IsClientType(Type type) => Regex.IsMatch(type.Namespace ?? "", clientNamespaces);
        var assembly = typeof(Portal.Storage.StorageException).Assembly;
        var offenders = new List<string>();
        // Nested types (async state machines, closures) report their outer type's namespace, and their fields hold
        // the locals of async methods and lambdas, so this sees method bodies' SQLite objects too.
        var types = assembly.GetTypes().Where(t => t.Namespace != engineNamespace).ToList();
        Assert.Contains(types, t => t.Namespace == "Portal.Elevation");
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
                if (method.GetMethodBody() is { } body)
                {
                    used.AddRange(body.LocalVariables.Select(l => ($"{method.Name} local {l.LocalIndex}", l.LocalType)));
                    used.AddRange(body.ExceptionHandlingClauses
                        .Where(c => c.Flags == ExceptionHandlingClauseOptions.Clause)
                        .Select(c => ($"{method.Name} catch", c.CatchType!)));
                }
            }
            foreach (var (where, usedType) in used)
            {
                if (TypeReferences.Flatten(usedType).FirstOrDefault(IsClientType) is { } client)
                {
                    offenders.Add($"{type.FullName}: {where} uses {client.FullName}");
                }
            }
        }
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [Fact]
    public void No_source_file_outside_the_sqlite_engine_names_Microsoft_Data_Sqlite()
    {
        var offenders = SourceFiles()
            .Where(f => !f.Relative.StartsWith("Storage/Sqlite/", StringComparison.Ordinal))
            .Where(f => SqliteApi().IsMatch(f.Text))
            .Select(f => $"{f.Relative}: {SqliteApi().Match(f.Text).Value}")
            .ToList();
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [Fact]
    public void No_source_file_outside_the_postgres_engine_names_Npgsql()
    {
        var offenders = SourceFiles()
            .Where(f => !f.Relative.StartsWith("Storage/Postgres/", StringComparison.Ordinal))
            .Where(f => NpgsqlApi().IsMatch(f.Text))
            .Select(f => $"{f.Relative}: {NpgsqlApi().Match(f.Text).Value}")
            .ToList();
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Each_table_is_touched_only_by_the_store_that_owns_it(string engine, string clientNamespaces)
    {
        _ = clientNamespaces;
        var engineFolder = "Storage/" + engine;
        var schema = Directory.GetFiles(Path.Combine(SourceRoot(), "Storage", "Migrations", engine), "*.sql")
            .SelectMany(f => CreateTable().Matches(File.ReadAllText(f)).Select(m => m.Groups["table"].Value))
            .ToList();
        Assert.NotEmpty(schema);
        Assert.All(schema, table => Assert.True(TableOwners.ContainsKey(table), $"table {table} has no owning store in this test"));

        var offenders = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (relative, text) in SourceFiles().Where(f => !IsOtherEngine(f.Relative, engine)))
        {
            foreach (Match match in SqlTableReference().Matches(text))
            {
                var table = match.Groups["table"].Value;
                if (!TableOwners.TryGetValue(table, out var owner))
                {
                    continue;
                }
                seen.Add(table);
                if (relative != $"Storage/Stores/{owner}.cs" && relative != $"Storage/Storage{owner}.cs" && relative != $"{engineFolder}/{engine}{owner}.cs")
                {
                    offenders.Add($"{relative}: '{match.Value}' (the table belongs to {owner ?? "no store"})");
                }
            }
        }
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
        // The scan itself works: every owned table was found in its owner's SQL.
        Assert.All(TableOwners.Where(o => o.Value is not null), o => Assert.Contains(o.Key, seen));
    }

    private static string SourceRoot() =>
        Path.Combine(Support.RepositoryFiles.Root, "src", "Portal");

    private static IEnumerable<(string Relative, string Text)> SourceFiles()
    {
        var root = SourceRoot();
        return Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllText(f)));
    }

    /// <summary>Another engine's folder: its SQL is checked in that engine's own run.</summary>
    private static bool IsOtherEngine(string relative, string engine) =>
        relative.StartsWith("Storage/", StringComparison.Ordinal)
        && Engines.Select(e => (string)e[0]).Any(other => other != engine && relative.StartsWith($"Storage/{other}/", StringComparison.Ordinal));

    [GeneratedRegex(@"\bNpgsql[A-Za-z]*\b|\bPostgresException\b")]
    private static partial Regex NpgsqlApi();

    [GeneratedRegex(@"Microsoft\.Data\.Sqlite|SQLitePCL|\bSqlite(Connection|Command|Exception|Transaction|DataReader|Parameter|Type|OpenMode|CacheMode|ConnectionStringBuilder|Factory|Blob)\b")]
    private static partial Regex SqliteApi();

    [GeneratedRegex(@"CREATE TABLE (IF NOT EXISTS )?(?<table>\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex CreateTable();

    [GeneratedRegex(@"\b(FROM|INTO|UPDATE|JOIN|TABLE)\s+(?<table>\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex SqlTableReference();
}
