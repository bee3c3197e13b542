using Portal.Cli;
using Portal.Tests.Configuration;
using Portal.Tests.Support;

namespace Portal.Tests.Cli;

/// <summary>Runs <c>portal storage ...</c> in process against a configuration written for the test.</summary>
internal static class StorageCommandRun
{
    /// <summary>Writes <see cref="ConfigLoaderTests.MinimalYaml"/> with <paramref name="storage"/> as its <c>storage</c> section.</summary>
    public static string WriteConfig(TempDirectory dir, string storage, string name = "config.yml")
    {
        var minimal = ConfigLoaderTests.MinimalYaml;
        var start = minimal.IndexOf("storage:", StringComparison.Ordinal);
        var end = minimal.IndexOf("notifier:", StringComparison.Ordinal);
        return dir.Write(name, minimal[..start] + storage.TrimEnd() + "\n" + minimal[end..]);
    }

    /// <summary><see cref="WriteConfig"/> with a SQLite <paramref name="database"/> in <paramref name="dir"/> under <paramref name="key"/>.</summary>
    public static string WriteSqliteConfig(TempDirectory dir, string key, string database, string name = "config.yml") => WriteConfig(dir, $"""
        storage:
          encryption_key: {key}
          local:
            path: {dir.File(database)}
        """, name);

    public static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["storage", .. args], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
