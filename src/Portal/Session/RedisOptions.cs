using Portal.Configuration;
using Portal.Infrastructure;

namespace Portal.Session;

internal sealed class RedisOptions
{
    public string Host { get; set; } = "";
    public int Port { get; set; } = 6379;
    public string Username { get; set; } = "";
    public string Password { get; set; } = "";
    public int DatabaseIndex { get; set; }
    public int MaximumActiveConnections { get; set; } = 8;
    public int MinimumIdleConnections { get; set; }
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
    public int MaxRetries { get; set; }
    public TlsClientOptions? Tls { get; set; }
}
