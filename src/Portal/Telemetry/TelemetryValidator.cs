using Portal.Configuration;
using Portal.Infrastructure;
using static Portal.Configuration.ConfigChecks;

namespace Portal.Telemetry;

/// <summary>Checks <c>telemetry.metrics</c>: its address (a listener apart from the portal's), buffers and timeouts.</summary>
internal static class TelemetryValidator
{
    private const string Section = "telemetry.metrics";

    /// <summary>Below this a scrape's request line and headers may not fit.</summary>
    public const int MinimumBuffer = 1024;

    /// <summary>The path served when the address names none.</summary>
    public const string DefaultPath = "/metrics";

    public static void Validate(PortalOptions options, ConfigDiagnostics diag)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(diag);
        var metrics = options.Telemetry.Metrics;
        if (!ListenAddress.TryParse(metrics.Address, out var address, out var error))
        {
            diag.Error(Section, "address", error.Replace("tcp://:9091/", "tcp://:9959/metrics", StringComparison.Ordinal));
        }
        else if (metrics.Enabled && SharesListener(address, options.Server.Address))
        {
            diag.Error(Section, "address", $"'{metrics.Address}' is the portal's own listener (server.address); metrics need a port of their own");
        }
        foreach (var (key, value) in new[] { ("read", metrics.Buffers.Read), ("write", metrics.Buffers.Write) })
        {
            if (value < MinimumBuffer)
            {
                diag.Error($"{Section}.buffers", key, $"must be at least {MinimumBuffer} bytes but is {value}");
            }
        }
        RequirePositive(diag, $"{Section}.timeouts", "read", metrics.Timeouts.Read);
        RequirePositive(diag, $"{Section}.timeouts", "write", metrics.Timeouts.Write);
        RequirePositive(diag, $"{Section}.timeouts", "idle", metrics.Timeouts.Idle);
    }

    /// <summary>The path the metrics are served at: the address's, or <c>/metrics</c>.</summary>
    public static string PathOf(ListenAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.IsUnixSocket || address.BasePath == "/" ? DefaultPath : address.BasePath;
    }

    // Port 0 asks for a fresh port each time, so two listeners on it never collide.
    private static bool SharesListener(ListenAddress metrics, string serverAddress) =>
        ListenAddress.TryParse(serverAddress, out var server, out _)
        && (metrics.IsUnixSocket
            ? server.SocketPath == metrics.SocketPath
            : !server.IsUnixSocket && metrics.Port != 0 && server.Port == metrics.Port
              && (metrics.Host is null || server.Host is null || metrics.Host.Equals(server.Host)));
}
