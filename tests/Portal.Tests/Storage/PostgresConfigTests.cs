using Portal.Configuration;
using Portal.Storage;
using Portal.Storage.Postgres;
using Portal.Tests.Configuration;
using Portal.Tests.Support;

namespace Portal.Tests.Storage;

/// <summary><c>storage.postgres</c> as an admin writes it: Authelia's keys, every mistake named with its YAML path.</summary>
public sealed class PostgresConfigTests
{
    private const string Postgres = """
        storage:
          encryption_key: a-very-long-encryption-key-for-tests
          postgres:
            address: 'tcp://db.internal:5433'
            database: authelia
            schema: portal
            username: portal
            password: s3cret
            timeout: 10s
        """;

    /// <summary><see cref="ConfigLoaderTests.MinimalYaml"/> with its <c>storage</c> section replaced by <paramref name="storage"/>.</summary>
    private static ConfigLoadResult Load(string storage, Dictionary<string, string>? environment = null)
    {
        var minimal = ConfigLoaderTests.MinimalYaml;
        var start = minimal.IndexOf("storage:", StringComparison.Ordinal);
        var end = minimal.IndexOf("notifier:", StringComparison.Ordinal);
        return ConfigLoader.LoadYaml(minimal[..start] + storage.TrimEnd() + "\n" + minimal[end..], environment);
    }

    private static List<string> Errors(string storage) => Load(storage).Diagnostics.Errors.Select(e => e.ToString()).ToList();

    [Fact]
    public void Authelias_postgres_section_loads_into_the_options()
    {
        var result = Load(Postgres);

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics.Errors));
        var postgres = result.Options.Storage.Postgres!;
        Assert.Null(result.Options.Storage.Local);
        Assert.Equal(("tcp://db.internal:5433", "authelia", "portal", "portal", "s3cret", TimeSpan.FromSeconds(10)),
            (postgres.Address, postgres.Database, postgres.Schema, postgres.Username, postgres.Password, postgres.Timeout));
    }

    [Fact]
    public void Unset_keys_keep_authelias_defaults()
    {
        var postgres = Load("""
            storage:
              encryption_key: a-very-long-encryption-key-for-tests
              postgres:
                address: 'tcp://db'
                database: authelia
                username: portal
            """).Options.Storage.Postgres!;

        Assert.Equal(("public", TimeSpan.FromSeconds(5), (PostgresTlsOptions?)null), (postgres.Schema, postgres.Timeout, postgres.Tls));
    }

    [Fact]
    public void The_password_can_come_from_a_file_named_by_PORTAL_STORAGE_POSTGRES_PASSWORD_FILE()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("password", "from-a-file\n");

        var result = Load(Postgres, new() { ["PORTAL_STORAGE_POSTGRES_PASSWORD_FILE"] = file });

        Assert.Equal("from-a-file", result.Options.Storage.Postgres!.Password);
    }

    [Fact]
    public void Local_and_postgres_together_are_refused_at_the_postgres_key()
    {
        var errors = Errors(Postgres + "\n  local:\n    path: /var/lib/portal/db.sqlite3\n");

        Assert.Contains(errors, e => e.StartsWith("storage: option 'postgres' cannot be set together with 'local'", StringComparison.Ordinal));
    }

    [Fact]
    public void Postgres_without_an_encryption_key_is_an_error_since_every_node_needs_the_same_one()
    {
        var errors = Errors(Postgres.Replace("  encryption_key: a-very-long-encryption-key-for-tests\n", "", StringComparison.Ordinal));

        Assert.Contains(errors, e => e.StartsWith("storage: option 'encryption_key' is required with 'postgres'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("address: ''", "storage: postgres: option 'address' is required")]
    [InlineData("address: 'http://db:5432'", "storage: postgres: option 'address' must use the 'tcp' or 'unix' scheme ('http://db:5432')")]
    [InlineData("address: 'tcp://db:5432/x'", "storage: postgres: option 'address' must be only a scheme, a host and a port, as in 'tcp://postgres:5432' ('tcp://db:5432/x')")]
    [InlineData("address: 'unix://relative'", "storage: postgres: option 'address' must name an absolute socket path such as 'unix:///run/postgresql' ('unix://relative')")]
    [InlineData("database: ''", "storage: postgres: option 'database' is required")]
    [InlineData("username: ''", "storage: postgres: option 'username' is required")]
    [InlineData("schema: ''", "storage: postgres: option 'schema' must not be empty (the default is 'public')")]
    [InlineData("schema: 'a\"b'", "storage: postgres: option 'schema' must be a PostgreSQL identifier of at most 63 characters without quotes ('a\"b')")]
    [InlineData("timeout: 500ms", "storage: postgres: option 'timeout' must be a duration of at least 1s")]
    [InlineData("tls:\n      minimum_version: TLS1.0", "storage: postgres: tls: option 'minimum_version' must be one of 'TLS1.2', 'TLS1.3' but is 'TLS1.0'")]
    [InlineData("tls:\n      certificate_chain: /nonexistent/chain.pem", "storage: postgres: tls: option 'private_key' is required when the other of 'certificate_chain' and 'private_key' is set")]
    [InlineData("tls:\n      certificate_chain: /nonexistent/chain.pem\n      private_key: /nonexistent/key.pem", "storage: postgres: tls: option 'certificate_chain' is neither PEM nor the path of an existing file ('/nonexistent/chain.pem')")]
    [InlineData("tls:\n      certificate_chain: '-----BEGIN CERTIFICATE-----'\n      private_key: '-----BEGIN PRIVATE KEY-----'", "storage: postgres: tls: option 'certificate_chain' and 'private_key' do not make a usable client certificate:")]
    [InlineData("portt: 5432", "storage: postgres: option 'portt' is not a known option")]
    public void Each_mistake_is_reported_with_its_yaml_path(string line, string expected)
    {
        var key = line[..line.IndexOf(':', StringComparison.Ordinal)];
        var storage = string.Join("\n", Postgres.Split('\n').Where(l => !l.TrimStart().StartsWith(key + ":", StringComparison.Ordinal)))
            + "\n    " + line + "\n";

        var errors = Errors(storage);

        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Tls_over_a_unix_socket_is_refused()
    {
        var errors = Errors(Postgres.Replace("'tcp://db.internal:5433'", "'unix:///run/postgresql'", StringComparison.Ordinal) + "\n    tls:\n      skip_verify: true\n");

        Assert.Contains(errors, e => e.StartsWith("storage: postgres: tls: is set, but PostgreSQL does not speak TLS over a unix socket", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("tcp://db:5432", "db", 5432, false)]
    [InlineData("tcp://db", "db", 5432, false)]
    [InlineData("db:6543", "db", 6543, false)]
    [InlineData("tcp6://[2001:db8::1]:5433", "2001:db8::1", 5433, false)]
    [InlineData("unix:///run/postgresql", "/run/postgresql", 5432, true)]
    [InlineData("unix:///run/postgresql/.s.PGSQL.5433", "/run/postgresql", 5433, true)]
    public void Addresses_are_read_as_authelia_writes_them(string value, string host, int port, bool unix)
    {
        Assert.True(PostgresAddress.TryParse(value, out var address, out var error), error);
        Assert.Equal(new PostgresAddress(host, port, unix), address);
    }

    [Fact]
    public void Mysql_is_still_refused_as_unsupported()
    {
        var errors = Errors("storage:\n  encryption_key: a-very-long-encryption-key-for-tests\n  mysql:\n    address: 'tcp://db:3306'\n");

        Assert.Contains(errors, e => e.StartsWith("storage: option 'mysql' is not supported", StringComparison.Ordinal));
    }
}
