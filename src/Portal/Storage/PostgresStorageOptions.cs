using System.ComponentModel;
namespace Portal.Storage;

/// <summary><c>storage.postgres</c>, with Authelia's keys: the shared database of several portal nodes.</summary>
internal sealed class PostgresStorageOptions
{
    public const int DefaultPort = 5432;

    /// <summary><c>tcp://host:5432</c> (also <c>tcp4://</c>, <c>tcp6://</c>), or <c>unix:///run/postgresql</c>.</summary>
    [Description("tcp://host:5432 (tcp4://, tcp6://) or unix:///run/postgresql.")]
    public string Address { get; init; } = "";
    [Description("Database name. Required.")]
    public string Database { get; init; } = "";
    [Description("Schema, created if missing.")]
    public string Schema { get; init; } = "public";
    [Description("Database user. Required.")]
    public string Username { get; init; } = "";
    [Description("Password; prefer PORTAL_STORAGE_POSTGRES_PASSWORD_FILE.")]
    public string Password { get; init; } = "";

    /// <summary>Connecting and each statement; past it the call fails (503) rather than hanging a request.</summary>
    [Description("Connecting and each statement; at least 1s.")]
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
    [Description("When set, TLS is required and the certificate checked.")]
    public PostgresTlsOptions? Tls { get; init; }
}
