using System.Globalization;
using Portal.Regulation;
using Portal.Storage.Stores;

namespace Portal.Cli;

/// <summary>
/// <c>portal storage bans user|ip list|add|revoke</c>, in the shape of Authelia's: an admin lists the bans regulation
/// made, bans a user or an IP by hand (for <c>--duration</c>, default a day, or <c>--permanent</c>), and lifts them
/// (all of a user's or an IP's, or one by <c>--id</c>). Every portal node reads bans from the database, so a change
/// holds at once on all of them.
/// </summary>
internal static class StorageBanCommands
{
    /// <summary>The <c>source</c> of a ban added here, beside regulation's own.</summary>
    public const string CliSource = "cli";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args is not [("user" or "ip") and var kind, ("list" or "add" or "revoke") and var action, .. var rest])
        {
            throw new CliUsageException("expected 'storage bans user|ip list|add|revoke'");
        }
        var subject = kind == "user" ? RegulationSubject.User : RegulationSubject.Ip;
        var parsed = action switch
        {
            "list" => CliArgs.Parse(rest, ["config"], ["all"]),
            "add" => CliArgs.Parse(rest, ["config", "duration", "reason"], ["permanent"]),
            _ => CliArgs.Parse(rest, ["config", "id"]),
        };
        var target = Target(parsed, subject, required: action == "add" || (action == "revoke" && parsed.Value("id") is null));
        using var database = CliStorage.Open(parsed, stderr);
        if (database is null)
        {
            return 1;
        }
        var store = new AuthenticationLogStore(database);
        var now = DateTimeOffset.UtcNow;
        switch (action)
        {
            case "list":
                var bans = await store.ListBansAsync(subject, now, includeInactive: parsed.Flag("all"));
                foreach (var ban in bans)
                {
                    await stdout.WriteLineAsync(Describe(ban, now));
                }
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{bans.Count} {(parsed.Flag("all") ? "" : "active ")}{kind} bans."));
                return 0;
            case "add":
                DateTimeOffset? expires = parsed.Flag("permanent") ? null : now + Duration(parsed);
                var id = await store.AddBanAsync(subject, target!, now, expires, CliSource, parsed.Value("reason"));
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Banned {kind} {RegulationKeys.For(subject, target!)} {(expires is { } until ? $"until {Time(until)}" : "permanently")} (ban {id})."));
                return 0;
            default:
                if (parsed.Value("id") is { } text)
                {
                    if (target is not null)
                    {
                        throw new CliUsageException($"give the {kind} or --id, not both");
                    }
                    var banId = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                        ? n
                        : throw new CliUsageException($"--id must be a ban number (from 'list'), not '{text}'");
                    if (!await store.RevokeBanAsync(subject, banId, now))
                    {
                        return CliApp.Fail(stderr, string.Create(CultureInfo.InvariantCulture, $"no active {kind} ban {banId}"));
                    }
                    await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Revoked {kind} ban {banId}."));
                    return 0;
                }
                var revoked = await store.RevokeBansAsync(subject, target!, now);
                if (revoked == 0)
                {
                    return CliApp.Fail(stderr, $"no active ban of {kind} {RegulationKeys.For(subject, target!)}");
                }
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Revoked {revoked} {(revoked == 1 ? "ban" : "bans")} of {kind} {RegulationKeys.For(subject, target!)}."));
                return 0;
        }
    }

    /// <summary>The user or IP named as the one argument; a malformed IP is a usage error, not a ban of nothing.</summary>
    private static string? Target(CliArgs args, RegulationSubject subject, bool required)
    {
        if (args.Positionals.Count > 1)
        {
            throw new CliUsageException($"unexpected argument '{args.Positionals[1]}'");
        }
        var target = args.Positionals.Count == 1 ? args.Positionals[0] : null;
        var name = subject == RegulationSubject.User ? "user" : "ip";
        if (target is null)
        {
            return required ? throw new CliUsageException($"name the {name}: 'storage bans {name} add|revoke <{name}>'") : null;
        }
        try
        {
            return RegulationKeys.For(subject, target).Length > 0 ? target : throw new CliUsageException($"the {name} must not be empty");
        }
        catch (ArgumentException)
        {
            throw new CliUsageException($"'{target}' is not an IP address");
        }
    }

    private static TimeSpan Duration(CliArgs args)
    {
        var text = args.Value("duration") ?? "1 day";
        return Configuration.Duration.TryParse(text, out var duration) && duration > TimeSpan.Zero
            ? duration
            : throw new CliUsageException($"--duration must be a positive duration such as '1 day' or '2h', not '{text}'");
    }

    private static string Describe(Ban ban, DateTimeOffset now) => string.Create(CultureInfo.InvariantCulture,
        $"{ban.Id,6}  {ban.Value}  from {Time(ban.Time)}  {(ban.Expires is { } until ? $"until {Time(until)}" : "permanent")}  " +
        $"source {ban.Source}{(ban.Reason is { } reason ? $"  reason '{reason}'" : "")}" +
        $"{(ban.Revoked ? $"  revoked {(ban.RevokedAt is { } at ? Time(at) : "")}" : ban.IsActive(now) ? "" : "  expired")}");

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
