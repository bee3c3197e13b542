using Portal.Configuration;
using Portal.Infrastructure;

namespace Portal.Session;

internal sealed class RedisOptions
{
    public string Host { get; init; } = "";
    public int Port { get; init; } = 6379;
    public string Username { get; init; } = "";
    public string Password { get; init; } = "";
    public int DatabaseIndex { get; init; }
    public int MaximumActiveConnections { get; init; } = 8;
    public int MinimumIdleConnections { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
    public int MaxRetries { get; init; }
    public TlsClientOptions? Tls { get; init; }
}
