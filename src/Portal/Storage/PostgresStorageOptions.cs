namespace Portal.Storage;

/// <summary><c>storage.postgres</c>, with Authelia's keys: the shared database of several portal nodes.</summary>
internal sealed class PostgresStorageOptions
{
    public const int DefaultPort = 5432;

    /// <summary><c>tcp://host:5432</c> (also <c>tcp4://</c>, <c>tcp6://</c>), or <c>unix:///run/postgresql</c>.</summary>
    public string Address { get; init; } = "";
    public string Database { get; init; } = "";
    public string Schema { get; init; } = "public";
    public string Username { get; init; } = "";
    public string Password { get; init; } = "";

    /// <summary>Connecting and each statement; past it the call fails (503) rather than hanging a request.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
    public PostgresTlsOptions? Tls { get; init; }
}
