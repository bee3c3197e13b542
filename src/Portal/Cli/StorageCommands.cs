using System.Globalization;
using Portal.Configuration;
using Portal.Storage;
using Portal.Storage.Postgres;
using Portal.Storage.Sqlite;

namespace Portal.Cli;

/// <summary>
/// <c>portal storage migrate list|history|up|down</c> on the configured database, <c>portal storage copy</c>
/// between a SQLite file and the configured PostgreSQL (to grow a single node into several, or back), and the row
/// commands: <see cref="StorageUserCommands"/>, <see cref="StorageBanCommands"/>, <see cref="StorageEncryptionCommands"/>.
/// </summary>
internal static class StorageCommands
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            return args switch
            {
                ["migrate", "list", .. var rest] => WithMigrator(rest, [], stdout, stderr, (_, m) => List(m, stdout)),
                ["migrate", "history", .. var rest] => WithMigrator(rest, [], stdout, stderr, (_, m) => History(m, stdout)),
                ["migrate", "up", .. var rest] => WithMigrator(rest, [], stdout, stderr, (a, m) => Up(a, m, stdout)),
                ["migrate", "down", .. var rest] => WithMigrator(rest, ["destroy-data"], stdout, stderr, (a, m) => Down(a, m, stdout)),
                ["copy", .. var rest] => await CopyAsync(rest, stdout, stderr),
                ["user", "totp", .. var rest] => await TotpCommands.RunAsync(rest, stdout, stderr),
                ["user", .. var rest] => await StorageUserCommands.RunAsync(rest, stdout, stderr),
                ["bans", .. var rest] => await StorageBanCommands.RunAsync(rest, stdout, stderr),
                ["encryption", .. var rest] => await StorageEncryptionCommands.RunAsync(rest, stdout, stderr),
                _ => throw new CliUsageException("expected 'storage migrate list|history|up|down' or 'storage copy' (or 'storage user webauthn|totp', 'storage bans', 'storage encryption')"),
            };
        }
        catch (StorageException e)
        {
            await stderr.WriteLineAsync($"Error: {e.Message}");
            return 1;
        }
    }

    private static int WithMigrator(string[] args, string[] flags, TextWriter stdout, TextWriter stderr, Func<CliArgs, IStorageMigrator, int> run)
    {
        var parsed = CliArgs.Parse(args, ["config", "target"], flags);
        if (parsed.Positionals.Count > 0)
        {
            throw new CliUsageException($"unexpected argument '{parsed.Positionals[0]}'");
        }
        var config = CliConfig.Load(parsed, stderr);
        if (!config.IsValid)
        {
            stderr.WriteLine("Can't continue due to the errors loading the configuration.");
            return 1;
        }
        var storage = config.Options.Storage;
        using IStorageMigrator migrator = storage.Postgres is { } postgres
            ? new PostgresMigrator(postgres)
            : new SqliteMigrator(storage.Local!.Path);
        stdout.WriteLine($"Database {migrator.Where}");
        return run(parsed, migrator);
    }

    private static int List(IStorageMigrator migrator, TextWriter stdout)
    {
        var current = migrator.CurrentVersion();
        foreach (var script in migrator.Available)
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  V{script.Version:D4} {script.Name,-20} {(script.Version <= current ? "applied" : "pending")}{(script.Down is null ? "" : ", can be undone")}"));
        }
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Schema version {current} of {migrator.Available[^1].Version}."));
        return 0;
    }

    private static int History(IStorageMigrator migrator, TextWriter stdout)
    {
        var history = migrator.History();
        foreach (var row in history)
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  V{row.Version:D4} {row.Name,-20} applied {row.AppliedAt:yyyy-MM-dd HH:mm:ss}Z"));
        }
        stdout.WriteLine(history.Count == 0 ? "No migration applied." : string.Create(CultureInfo.InvariantCulture, $"{history.Count} migrations applied."));
        return 0;
    }

    private static int Up(CliArgs args, IStorageMigrator migrator, TextWriter stdout)
    {
        var latest = migrator.Available[^1].Version;
        var current = migrator.CurrentVersion();
        var target = Target(args) ?? latest;
        if (target < current || target > latest)
        {
            throw new CliUsageException(string.Create(CultureInfo.InvariantCulture,
                $"--target must be between the current version {current} and the latest {latest}"));
        }
        var applied = migrator.Up(target);
        Report(applied, "Applied", stdout);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Schema version {migrator.CurrentVersion()}."));
        return 0;
    }

    private static int Down(CliArgs args, IStorageMigrator migrator, TextWriter stdout)
    {
        var current = migrator.CurrentVersion();
        var target = Target(args) ?? throw new CliUsageException("option --target is required (the version to go back to; 0 removes every table)");
        if (target < 0 || target >= current)
        {
            throw new CliUsageException(string.Create(CultureInfo.InvariantCulture,
                $"--target must be at least 0 and below the current version {current}"));
        }
        // As Authelia's: going down drops tables and the data in them, so the admin says so explicitly.
        if (!args.Flag("destroy-data"))
        {
            throw new CliUsageException("going down deletes the data of the migrations undone; add --destroy-data to confirm (and stop every portal node first)");
        }
        var undone = migrator.Down(target);
        Report(undone, "Undid", stdout);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Schema version {migrator.CurrentVersion()}."));
        return 0;
    }

    private static async Task<int> CopyAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parsed = CliArgs.Parse(args, ["config", "from", "to", "local-path"]);
        if (parsed.Positionals.Count > 0)
        {
            throw new CliUsageException($"unexpected argument '{parsed.Positionals[0]}'");
        }
        var from = parsed.Required("from");
        var to = parsed.Required("to");
        if (!((from, to) is ("local", "postgres") or ("postgres", "local")))
        {
            throw new CliUsageException("--from and --to must be 'local' and 'postgres', one each");
        }
        var localPath = parsed.Required("local-path");
        var config = CliConfig.Load(parsed, stderr);
        if (!config.IsValid)
        {
            await stderr.WriteLineAsync("Can't continue due to the errors loading the configuration.");
            return 1;
        }
        var storage = config.Options.Storage;
        if (storage.Postgres is null)
        {
            throw new CliUsageException("the configuration must have 'storage.postgres' (the nodes' configuration); --local-path names the SQLite file");
        }
        if (from == "local" && !File.Exists(localPath))
        {
            throw new CliUsageException($"--local-path: '{localPath}' does not exist");
        }
        // Both opened as serve opens them: migrated to this build's schema and proven to hold storage.encryption_key.
        using var sqlite = SqliteDatabase.Open(localPath, storage.EncryptionKey);
        using var postgres = PostgresDatabase.Open(storage, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<PostgresDatabase>.Instance);
        IStorageTables local = new SqliteTables(sqlite), shared = new PostgresTables(postgres);
        var (source, target) = from == "local" ? (local, shared) : (shared, local);
        var copied = await StorageCopy.CopyAsync(source, target, CancellationToken.None);
        foreach (var (table, rows) in copied)
        {
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {table,-28} {rows} rows"));
        }
        await stdout.WriteLineAsync($"Copied {source.Where} into {target.Where}.");
        return 0;
    }

    private static int? Target(CliArgs args)
    {
        var value = args.Value("target");
        if (value is null)
        {
            return null;
        }
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var target)
            ? target
            : throw new CliUsageException($"--target must be a schema version number, not '{value}'");
    }

    private static void Report(IReadOnlyList<MigrationScript> scripts, string verb, TextWriter stdout)
    {
        if (scripts.Count == 0)
        {
            stdout.WriteLine("Nothing to do.");
        }
        foreach (var script in scripts)
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{verb} V{script.Version:D4} ({script.Name})."));
        }
    }
}
