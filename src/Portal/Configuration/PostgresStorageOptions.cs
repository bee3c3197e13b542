namespace Portal.Configuration;

/// <summary><c>storage.postgres</c>, with Authelia's keys: the shared database of several portal nodes.</summary>
internal sealed class PostgresStorageOptions
{
    public const int DefaultPort = 5432;

    /// <summary><c>tcp://host:5432</c> (also <c>tcp4://</c>, <c>tcp6://</c>), or <c>unix:///run/postgresql</c>.</summary>
    public string Address { get; set; } = "";
    public string Database { get; set; } = "";
    public string Schema { get; set; } = "public";
    public string Username { get; set; } = "";
    public string Password { get; set; } = "";

    /// <summary>Connecting and each statement; past it the call fails (503) rather than hanging a request.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
    public PostgresTlsOptions? Tls { get; set; }
}
