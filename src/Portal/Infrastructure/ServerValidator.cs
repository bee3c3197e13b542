using Portal.Configuration;
using static Portal.Configuration.ConfigChecks;

namespace Portal.Infrastructure;

/// <summary>
/// Checks the <c>server</c> section: the listen address, trusted proxies, TLS files, timeouts and HSTS.
/// </summary>
internal static class ServerValidator
{
    public static void Validate(PortalOptions options, ConfigDiagnostics diag)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(diag);
        var server = options.Server;
        const string Path = "server";
        if (!ListenAddress.TryParse(server.Address, out _, out var error))
        {
            diag.Error(Path, "address", error);
        }
        for (var i = 0; i < server.TrustedProxies.Count; i++)
        {
            if (!AccessControl.AclNetwork.TryParse(server.TrustedProxies[i], out _))
            {
                diag.Error($"{Path}.trusted_proxies[{i}]", $"'{server.TrustedProxies[i]}' must be an IP address or a CIDR range such as '10.0.0.0/8'");
            }
        }
        var hasCert = server.Tls.Certificate.Length > 0;
        var hasKey = server.Tls.Key.Length > 0;
        if (hasCert != hasKey)
        {
            diag.Error($"{Path}.tls", hasCert ? "key" : "certificate", "is required when the other of 'certificate' and 'key' is set");
        }
        foreach (var (key, file) in new[] { ("certificate", server.Tls.Certificate), ("key", server.Tls.Key) })
        {
            if (file.Length > 0 && !File.Exists(file))
            {
                diag.Error($"{Path}.tls", key, $"names '{file}', which does not exist");
            }
        }
        RequirePositive(diag, $"{Path}.timeouts", "read", server.Timeouts.Read);
        RequirePositive(diag, $"{Path}.timeouts", "write", server.Timeouts.Write);
        RequirePositive(diag, $"{Path}.timeouts", "idle", server.Timeouts.Idle);
        if (server.Hsts.MaxAge < TimeSpan.Zero)
        {
            diag.Error($"{Path}.hsts", "max_age", "must be a duration of zero or more such as '1y' (0 tells browsers to forget the policy; to send none, set 'enabled: false')");
        }
    }
}
