using Portal.Storage;
using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Portal.Configuration;
using Portal.Tests.Support;

namespace Portal.Tests.Storage;

/// <summary>
/// A real PostgreSQL (Debian's package) in a temporary directory: <c>initdb</c> and <c>pg_ctl</c>, listening on
/// 127.0.0.1 at a free port, with its unix socket in that directory. PostgreSQL refuses to run as root, so under root
/// the directory belongs to the <c>postgres</c> user and the binaries run through <c>runuser</c>. A missing binary fails
/// the tests (never skips them): <c>scripts/install-test-deps.sh</c> installs <c>postgresql</c>.
/// </summary>
public class PostgresServerFixture : IDisposable
{
    public const string Username = "portal";
    private static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(60);

    private readonly string _bin;
    private readonly string _data;
    private readonly bool _asPostgresUser;
    private readonly string _tlsSettings = "";
    private bool _running;

    public PostgresServerFixture()
        : this(tls: false)
    {
    }

    /// <param name="tls">
    /// serve TLS with a self-signed certificate and, over TLS, admit only a client certificate for <see cref="Username"/>
    /// (<see cref="ClientCertificatePem"/>); plain connections stay trusted
    /// </param>
    private protected PostgresServerFixture(bool tls)
    {
        _bin = FindBinaries();
        // /tmp rather than $TMPDIR: the postgres user must be able to reach it, and the socket path must stay short.
        Directory = Path.Combine("/tmp", "portal-pg-" + Guid.NewGuid().ToString("N")[..12]);
        _data = Path.Combine(Directory, "data");
        System.IO.Directory.CreateDirectory(Directory);
        _asPostgresUser = Environment.UserName == "root";
        if (_asPostgresUser)
        {
            Run("/bin/chown", "-R", "postgres:postgres", Directory);
        }
        Port = LoopbackPort.Free();
        RunAs(Path.Combine(_bin, "initdb"), "-D", _data, "-A", "trust", "-U", Username, "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions");
        if (tls)
        {
            _tlsSettings = WriteTls();
        }
        Start();
    }

    /// <summary>The server's directory: data, log and unix socket.</summary>
    public string Directory { get; }

    public int Port { get; }

    /// <summary>Starts the server (again) on <see cref="Port"/> and waits until it accepts connections.</summary>
    public void Start()
    {
        if (_running)
        {
            return;
        }
        var settings = string.Create(CultureInfo.InvariantCulture,
            $"-c listen_addresses=127.0.0.1 -p {Port} -k {Directory} -c max_connections=300 -c fsync=off -c full_page_writes=off{_tlsSettings}");
        RunAs(Path.Combine(_bin, "pg_ctl"), "-D", _data, "-l", Path.Combine(Directory, "server.log"), "-o", settings, "-w", "-t", "60", "start");
        _running = true;
    }

    /// <summary>
    /// Stops the server at once (connections are cut, as when a database host goes away). Committed work survives:
    /// fsync is off, but every commit reached the OS before it was acknowledged (synchronous_commit stays on).
    /// </summary>
    public void Stop()
    {
        if (!_running)
        {
            return;
        }
        RunAs(Path.Combine(_bin, "pg_ctl"), "-D", _data, "-m", "immediate", "-w", "stop");
        _running = false;
    }

    /// <summary>The client certificate the TLS server admits (CN = <see cref="Username"/>), PEM.</summary>
    internal string ClientCertificatePem { get; private set; } = "";

    /// <summary>Its private key, PEM.</summary>
    internal string ClientKeyPem { get; private set; } = "";

    /// <summary><c>storage.postgres</c> for a schema of its own, so each test starts from an empty database.</summary>
    /// <param name="address">another address than this server's TCP one</param>
    internal PostgresStorageOptions NewSchema(string? schema = null, string? address = null, TimeSpan? timeout = null, PostgresTlsOptions? tls = null) => new()
    {
        Address = address ?? string.Create(CultureInfo.InvariantCulture, $"tcp://127.0.0.1:{Port}"),
        Database = "postgres",
        Schema = schema ?? "t_" + Guid.NewGuid().ToString("N")[..16],
        Username = Username,
        Timeout = timeout ?? new PostgresStorageOptions().Timeout,
        Tls = tls,
    };

    /// <summary>A connection for the test's own look at what is stored (not through the stores).</summary>
    /// <summary>
    /// The <c>storage</c> section of a portal on this server (the body, indented by two, as
    /// <see cref="PortalTestHost.StartAsync"/> takes it), in <paramref name="schema"/>: nodes given the same section
    /// share one database.
    /// </summary>
    public string StorageYaml(string schema) => string.Create(CultureInfo.InvariantCulture, $"""
          encryption_key: a-very-long-encryption-key-for-the-tests
          postgres:
            address: 'tcp://127.0.0.1:{Port}'
            database: postgres
            schema: {schema}
            username: {Username}
            timeout: 2s
        """);

    /// <summary>A schema name no other test uses: <paramref name="prefix"/> and a random suffix.</summary>
    public static string UniqueSchema(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N")[..12];

    public NpgsqlConnection Connect(string schema)
    {
        var connection = new NpgsqlConnection(string.Create(CultureInfo.InvariantCulture,
            $"Host=127.0.0.1;Port={Port};Username={Username};Database=postgres;Pooling=false;Search Path=\"{schema}\""));
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        GC.SuppressFinalize(this);
        try
        {
            Stop();
        }
        finally
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover temp directory is no failure of the tests.
            }
        }
    }

    /// <returns>the server settings that turn TLS on</returns>
    private string WriteTls()
    {
        using var serverKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var serverRequest = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=postgres.test", serverKey, System.Security.Cryptography.HashAlgorithmName.SHA256);
        var san = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        san.AddDnsName("postgres.test");
        serverRequest.CertificateExtensions.Add(san.Build());
        using var serverCertificate = serverRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        using var clientKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var clientRequest = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=" + Username, clientKey, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var clientCertificate = clientRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        ClientCertificatePem = clientCertificate.ExportCertificatePem();
        ClientKeyPem = clientKey.ExportPkcs8PrivateKeyPem();

        var cert = Path.Combine(_data, "server.crt");
        var key = Path.Combine(_data, "server.key");
        var clients = Path.Combine(_data, "clients.crt");
        File.WriteAllText(cert, serverCertificate.ExportCertificatePem());
        File.WriteAllText(key, serverKey.ExportPkcs8PrivateKeyPem());
        // The client certificate is self-signed, so it is its own CA.
        File.WriteAllText(clients, ClientCertificatePem);
        File.WriteAllText(Path.Combine(_data, "pg_hba.conf"), $"""
            local all all trust
            hostssl all {Username} 127.0.0.1/32 cert
            host all all 127.0.0.1/32 trust

            """);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (_asPostgresUser)
        {
            Run("/bin/chown", "-R", "postgres:postgres", Directory);
        }
        return $" -c ssl=on -c ssl_cert_file={cert} -c ssl_key_file={key} -c ssl_ca_file={clients}";
    }

    private static string FindBinaries()
    {
        var candidates = System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
                .ToList()
            : [];
        return candidates.FirstOrDefault() ?? throw new InvalidOperationException(
            "/usr/lib/postgresql/<version>/bin/initdb not found: the PostgreSQL store tests need a real PostgreSQL. " +
            "Install it with 'apt-get install -y postgresql' (scripts/install-test-deps.sh).");
    }

    private void RunAs(string binary, params string[] arguments)
    {
        if (_asPostgresUser)
        {
            Run("/usr/sbin/runuser", ["-u", "postgres", "--", binary, .. arguments]);
        }
        else
        {
            Run(binary, arguments);
        }
    }

    private static void Run(string binary, params string[] arguments)
    {
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // runuser keeps the working directory; postgres cannot always enter the test's.
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{binary} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(CommandLimit))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{binary} {string.Join(' ', arguments)} did not finish within {CommandLimit}");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{binary} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output.Result}\n{error.Result}");
        }
    }
}
