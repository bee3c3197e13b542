using System.Globalization;
using System.Text.RegularExpressions;

namespace Portal.Storage;

/// <summary>
/// The migrations compiled into this build for one engine, read from the embedded
/// <c>Portal.Storage.Migrations.&lt;Engine&gt;.*</c> resources. Only the version and file name are ever recorded in a
/// database, so the folder and resource names can move without a database noticing.
/// </summary>
internal static partial class MigrationScripts
{
    /// <param name="engine">the folder under <c>Storage/Migrations</c>: <c>Sqlite</c>, <c>Postgres</c></param>
    /// <returns>versions 1..N in order</returns>
    /// <exception cref="InvalidOperationException">A file is misnamed, a version is missing or doubled, or a down file has no up.</exception>
    public static IReadOnlyList<MigrationScript> Load(string engine)
    {
        var prefix = $"Portal.Storage.Migrations.{engine}.";
        var assembly = typeof(MigrationScripts).Assembly;
        var ups = new SortedDictionary<int, (string Name, string Sql)>();
        var downs = new Dictionary<int, (string Name, string Sql)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var fileName = resource[prefix.Length..];
            var match = FileName().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException($"migration resource '{fileName}' is not named V0000.Name.sql or V0000.Name.down.sql");
            }
            var version = int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture);
            var target = match.Groups["down"].Success ? downs : (IDictionary<int, (string, string)>)ups;
            if (!target.TryAdd(version, (match.Groups["name"].Value, Read(assembly, resource))))
            {
                throw new InvalidOperationException($"two migrations are numbered V{version:D4}");
            }
        }
        var scripts = new List<MigrationScript>();
        foreach (var (version, up) in ups)
        {
            // Versions must run 1, 2, 3, ... with no gaps, or "schema version N" would be ambiguous.
            if (version != scripts.Count + 1)
            {
                throw new InvalidOperationException(
                    $"migrations must be numbered 1..N without gaps; found V{version:D4} at position {scripts.Count + 1}");
            }
            string? down = null;
            if (downs.Remove(version, out var d))
            {
                if (d.Name != up.Name)
                {
                    throw new InvalidOperationException($"V{version:D4}: the down file is named '{d.Name}', the up file '{up.Name}'");
                }
                down = d.Sql;
            }
            scripts.Add(new MigrationScript(version, up.Name, up.Sql, down));
        }
        if (downs.Count > 0)
        {
            throw new InvalidOperationException($"V{downs.Keys.First():D4} has a down file but no up file");
        }
        return scripts;
    }

    private static string Read(System.Reflection.Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"missing embedded resource '{name}'");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^V(?<version>\d{4})\.(?<name>[A-Za-z0-9_]+)(?<down>\.down)?\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();
}
