using System.Globalization;
using System.Text;
using Portal.Configuration;
using Portal.Storage.Stores;
using Portal.Totp;

namespace Portal.Cli;

/// <summary>
/// <c>portal storage user totp export|import</c>: the users' TOTP secrets to and from the file Authelia's
/// <c>authelia storage user totp export</c> writes, so users keep their authenticator apps across the move.
/// </summary>
internal static class TotpCommands
{
    public const string DefaultFile = "authelia.export.totp.yml";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) => args switch
    {
        ["export", .. var rest] => await ExportAsync(rest, stdout, stderr),
        ["import", .. var rest] => await ImportAsync(rest, stdout, stderr),
        _ => throw new CliUsageException("expected 'storage user totp export' or 'storage user totp import FILE'"),
    };

    private static async Task<int> ExportAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parsed = CliArgs.Parse(args, ["config", "file"]);
        if (parsed.Positionals.Count > 0)
        {
            throw new CliUsageException($"unexpected argument '{parsed.Positionals[0]}'");
        }
        var file = parsed.Value("file") ?? DefaultFile;
        if (File.Exists(file))
        {
            // The file holds every secret: never replace one silently.
            throw new CliUsageException($"--file: '{file}' already exists");
        }
        return await WithStoreAsync(parsed, stderr, async store =>
        {
            var all = await store.ListAsync(CancellationToken.None);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            await using (var writer = new StreamWriter(file, new UTF8Encoding(false), options))
            {
                await writer.WriteAsync(TotpExportFile.Write(all));
            }
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Exported {all.Count} TOTP configurations to {file}; it holds their secrets."));
            return 0;
        });
    }

    private static async Task<int> ImportAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parsed = CliArgs.Parse(args, ["config"]);
        if (parsed.Positionals.Count != 1)
        {
            throw new CliUsageException("expected the file to import: 'storage user totp import FILE'");
        }
        var file = parsed.Positionals[0];
        if (!File.Exists(file))
        {
            throw new CliUsageException($"'{file}' does not exist");
        }
        var (entries, errors) = TotpExportFile.Read(await File.ReadAllTextAsync(file), DateTimeOffset.UtcNow);
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                await stderr.WriteLineAsync($"Error: {file}: {error}");
            }
            await stderr.WriteLineAsync("Nothing imported.");
            return 1;
        }
        return await WithStoreAsync(parsed, stderr, async store =>
        {
            foreach (var entry in entries)
            {
                var replaced = await store.HasAsync(entry.Username, CancellationToken.None);
                await store.SaveAsync(entry, CancellationToken.None);
                await stdout.WriteLineAsync($"  {entry.Username}{(replaced ? " (replaced the existing one)" : "")}");
            }
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Imported {entries.Count} TOTP configurations."));
            return 0;
        });
    }

    /// <summary>The configured database, opened as serve opens it (migrated, key proven), and the store over it.</summary>
    private static async Task<int> WithStoreAsync(CliArgs parsed, TextWriter stderr, Func<ITotpConfigurationStore, Task<int>> run)
    {
        using var database = CliStorage.Open(parsed, stderr);
        return database is null ? 1 : await run(new TotpConfigurationStore(database));
    }
}
