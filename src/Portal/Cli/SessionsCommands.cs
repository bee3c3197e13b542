using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Configuration;
using Portal.Session;

namespace Portal.Cli;

/// <summary>
/// <c>portal sessions list|revoke --user U</c>: an admin's view of a user's signed-in sessions and the way to end
/// them (a lost laptop, a ban that must also close what is open). Works on Redis, where the sessions of every node
/// are; sessions in memory live inside the running portal, which the settings page reaches instead.
/// </summary>
internal static class SessionsCommands
{
    private static readonly string[] ValueOptions = ["config", "user", "session"];

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) =>
        RunAsync(args, stdout, stderr, files => ConfigLoader.Load(files, ConfigLoader.ProcessEnvironment()));

    internal static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, Func<IReadOnlyList<string>, ConfigLoadResult> load)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(load);
        try
        {
            if (args.Length < 1 || args[0] is not ("list" or "revoke"))
            {
                return CliApp.Fail(stderr, "sessions needs a subcommand: list or revoke");
            }
            var cli = CliArgs.Parse(args[1..], ValueOptions, ["all"]);
            if (cli.Positionals.Count > 0)
            {
                throw new CliUsageException($"unexpected argument '{cli.Positionals[0]}'");
            }
            var user = cli.Required("user");
            var handles = cli.Values("session");
            if (args[0] == "revoke" && handles.Count == 0 && !cli.Flag("all"))
            {
                throw new CliUsageException("sessions revoke needs --session HANDLE (from 'sessions list') or --all");
            }
            var configs = cli.Values("config");
            if (configs.Count == 0)
            {
                throw new CliUsageException("option --config is required");
            }
            var loaded = load(configs);
            if (!loaded.IsValid)
            {
                await stderr.WriteLineAsync("Error: the configuration is invalid:").ConfigureAwait(false);
                foreach (var error in loaded.Diagnostics.Errors)
                {
                    await stderr.WriteLineAsync($"  - {error}").ConfigureAwait(false);
                }
                return 1;
            }
            if (loaded.Options.Session.Redis is null)
            {
                return CliApp.Fail(stderr, "sessions are kept in the memory of the running portal (session.redis is not set): "
                    + "the user can end them from the settings page, or restarting the portal ends them all");
            }
            await using var store = await RedisSessionStore.ConnectAsync(loaded.Options.Session.Redis, loaded.Options.Session.Secret,
                NullLogger<RedisSessionStore>.Instance).ConfigureAwait(false);
            var sessions = new SessionProvider(loaded.Options.Session, store, TimeProvider.System, NullLoggerFactory.Instance);
            try
            {
                if (args[0] == "list")
                {
                    await ListAsync(sessions, user, stdout).ConfigureAwait(false);
                    return 0;
                }
                var ended = await sessions.RevokeAsync(user, cli.Flag("all") ? null : handles, keepId: null, CancellationToken.None).ConfigureAwait(false);
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"ended {ended} session(s) of {user}")).ConfigureAwait(false);
                return ended == 0 && !cli.Flag("all") ? 1 : 0;
            }
            catch (SessionStoreUnavailableException e)
            {
                return CliApp.Fail(stderr, e.Message);
            }
        }
        catch (CliUsageException e)
        {
            return CliApp.Fail(stderr, e.Message);
        }
    }

    private static async Task ListAsync(SessionProvider sessions, string user, TextWriter stdout)
    {
        var list = await sessions.ListForUserAsync(user, CancellationToken.None).ConfigureAwait(false);
        if (list.Count == 0)
        {
            await stdout.WriteLineAsync($"{user} has no signed-in session").ConfigureAwait(false);
            return;
        }
        await stdout.WriteLineAsync($"{"session",-24} {"signed in (UTC)",-20} {"last activity (UTC)",-20} {"methods",-16} cookie domain").ConfigureAwait(false);
        foreach (var stored in list)
        {
            var s = stored.Session;
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{stored.Handle,-24} {Time(s.FirstFactorAuthnTimestamp ?? s.CreatedAt),-20} {Time(s.LastActivity),-20} {string.Join(',', s.AuthenticationMethods.ToAmrValues()),-16} {s.CookieDomain}")).ConfigureAwait(false);
        }
    }

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
