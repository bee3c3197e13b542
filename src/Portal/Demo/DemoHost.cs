using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using Portal.Configuration;
using Portal.Gateway;
using Portal.Infrastructure;

namespace Portal.Demo;

/// <summary>
/// <c>portal demo</c>: the portal, the gateway and a small protected app in one process, all on loopback, reached
/// by a browser over plain http at <c>http://app.demo.localhost:PORT/</c> and <c>http://auth.demo.localhost:PORT/</c>.
/// Browsers resolve <c>*.localhost</c> to loopback without DNS and treat it as a secure context, so the portal's
/// Secure session cookie for <c>demo.localhost</c> works without TLS; the portal accepts these http URLs only
/// because every listener is on loopback (<see cref="LoopbackHttp"/>). Secrets are generated into the state
/// directory on first start, never shipped.
/// </summary>
internal sealed class DemoHost : IAsyncDisposable
{
    public const string CookieDomain = "demo.localhost";
    public const string AppHost = "app." + CookieDomain;
    public const string PortalHost = "auth." + CookieDomain;
    /// <summary>The password of every user in src/Portal/Demo/users_database.yml.</summary>
    public const string Password = "portal-demo";
    public const int DefaultPort = 9080;
    public const string DefaultStateDirectory = ".portal/demo";

    private readonly List<WebApplication> _apps = [];

    private DemoHost(int port, string stateDirectory)
    {
        Port = port;
        StateDirectory = stateDirectory;
    }

    public int Port { get; }
    public string StateDirectory { get; }
    public string AppUrl => Url(AppHost);
    public string PortalUrl => Url(PortalHost);
    public string ConfigFile => Path.Combine(StateDirectory, "config.yml");
    public string UsersFile => Path.Combine(StateDirectory, "users_database.yml");
    public string NotificationFile => Path.Combine(StateDirectory, "notification.txt");

    private string Url(string host) => string.Create(CultureInfo.InvariantCulture, $"http://{host}:{Port}/");

    /// <summary>Starts everything, or nothing: a failure stops what had started and rethrows.</summary>
    /// <exception cref="PortalApp.StartupException">the state directory or configuration is unusable</exception>
    /// <exception cref="IOException">the port is taken</exception>
    public static async Task<DemoHost> StartAsync(int port, string stateDirectory)
    {
        var demo = new DemoHost(port, Path.GetFullPath(stateDirectory));
        try
        {
            await demo.StartCoreAsync();
            return demo;
        }
        catch
        {
            await demo.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync()
    {
        PrepareStateDirectory();
        var upstream = DemoUpstream.Build(PortalUrl);
        _apps.Add(upstream);
        await upstream.StartAsync();

        await File.WriteAllTextAsync(ConfigFile, ConfigYaml(PortalApp.BoundAddresses(upstream)[0]));
        var loaded = ConfigLoader.Load([ConfigFile], new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // The documented *_FILE mechanism, so config.yml (which a newcomer will read and copy) holds no secret.
            ["PORTAL_SESSION_SECRET_FILE"] = Secret("session_secret"),
            ["PORTAL_STORAGE_ENCRYPTION_KEY_FILE"] = Secret("storage_encryption_key"),
        });
        if (!loaded.IsValid)
        {
            throw new PortalApp.StartupException($"the demo configuration {ConfigFile} is invalid:{Environment.NewLine}  - "
                + string.Join($"{Environment.NewLine}  - ", loaded.Diagnostics.Errors));
        }
        var options = loaded.Options;

        var portal = await PortalApp.BuildAsync(options);
        _apps.Add(portal);
        await portal.StartAsync();

        // The portal listens on a random loopback port, known only now; the gateway sends the portal's host there
        // (bypass in access_control) with the session cookie, so the browser sees one origin per host on one port.
        // Options are read-only once loaded, so the gateway gets a copy with the route in front.
        var portalRoute = new GatewayRouteOptions
        {
            Hosts = [PortalHost],
            Upstreams = [PortalApp.BoundAddresses(portal)[0] + "/"],
            PassSessionCookie = true,
        };
        var gatewayOptions = options with { Gateway = options.Gateway with { Routes = [portalRoute, .. options.Gateway.Routes] } };
        var gateway = GatewayApp.BuildInProcess(gatewayOptions, portal.Services,
            builder => builder.Services.AddSingleton<IStartupFilter>(new LocalhostRedirect(AppUrl)));
        _apps.Add(gateway);
        await gateway.StartAsync();
    }

    /// <summary>Completes when any part stops (Ctrl+C stops them all).</summary>
    public Task WaitForShutdownAsync() => Task.WhenAny(_apps.Select(a => a.WaitForShutdownAsync()));

    public async ValueTask DisposeAsync()
    {
        for (var i = _apps.Count - 1; i >= 0; i--)
        {
            try
            {
                await _apps[i].StopAsync();
            }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
            {
                // Never started (the port was taken): nothing to stop.
            }
            await _apps[i].DisposeAsync();
        }
        _apps.Clear();
    }

    private void PrepareStateDirectory()
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(StateDirectory);
            }
            else
            {
                // Holds the secrets, the database and one-time codes: this user only.
                Directory.CreateDirectory(StateDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            if (!File.Exists(UsersFile))
            {
                using var source = Assembly.GetExecutingAssembly().GetManifestResourceStream("Portal.Demo.users_database.yml")
                    ?? throw new InvalidOperationException("the demo users file is missing from the executable");
                using var target = File.Create(UsersFile);
                source.CopyTo(target);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PortalApp.StartupException($"cannot prepare the demo's state directory '{StateDirectory}': {e.Message} (use --state-dir)");
        }
    }

    /// <summary>The path of a secret file in the state directory, created with 32 random bytes the first time.</summary>
    private string Secret(string name)
    {
        var path = Path.Combine(StateDirectory, name);
        if (!File.Exists(path))
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using var stream = new FileStream(path, options);
            using var writer = new StreamWriter(stream);
            writer.WriteLine(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        }
        return path;
    }

    private string ConfigYaml(string upstream) => string.Create(CultureInfo.InvariantCulture, $$"""
        # Written by 'portal demo' on every start (ports and paths change with --port and --state-dir).
        # The secrets are in session_secret and storage_encryption_key beside this file, generated on first start.
        server:
          # The portal itself, on a random loopback port: browsers reach it through the gateway at {{PortalUrl}}
          address: 'tcp://127.0.0.1:0/'
          trusted_proxies: ['127.0.0.1/32', '::1/128']
        authentication_backend:
          file:
            path: '{{Quote(UsersFile)}}'
        session:
          cookies:
            # Plain http is accepted only because every listener is on loopback and these are *.localhost names.
            - domain: '{{CookieDomain}}'
              authelia_url: '{{PortalUrl}}'
              default_redirection_url: '{{AppUrl}}'
        storage:
          local:
            path: '{{Quote(Path.Combine(StateDirectory, "db.sqlite3"))}}'
        notifier:
          filesystem:
            # Instead of sending email, the portal writes each message (with its one-time code) here.
            filename: '{{Quote(NotificationFile)}}'
        webauthn:
          # "Sign in with a passkey" (and passkeys in the username field's autofill). A passkey alone is one factor:
          # the two-factor page then asks for the password as the second step.
          enable_passkey_login: true
        access_control:
          default_policy: 'deny'
          rules:
            - domain: '{{PortalHost}}'
              policy: 'bypass'
            # (?i): the demo app serves /TWO-FACTOR as /two-factor, so the rules must not care about case either.
            - domain: '{{AppHost}}'
              resources: ['(?i)^/one-factor([/?].*)?$']
              policy: 'one_factor'
            - domain: '{{AppHost}}'
              resources: ['(?i)^/two-factor([/?].*)?$']
              policy: 'two_factor'
            - domain: '{{AppHost}}'
              policy: 'bypass'
        gateway:
          address: 'tcp://127.0.0.1:{{Port}}/'
          routes:
            # The portal's own route ({{PortalHost}}) is added at start, once its port is known.
            - hosts: ['{{AppHost}}']
              upstreams: ['{{upstream}}/']
        """);

    /// <summary>A YAML single-quoted scalar's content: a quote is doubled (the state directory may contain one).</summary>
    private static string Quote(string text) => text.Replace("'", "''", StringComparison.Ordinal);

    /// <summary>
    /// http://localhost:PORT/ (no site lives there: cookies cannot be scoped to 'localhost') sends the browser to the
    /// demo app, so the address a newcomer is most likely to type works too.
    /// </summary>
    private sealed class LocalhostRedirect(string appUrl) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Host.Host is "localhost" or "127.0.0.1" or "[::1]")
                {
                    context.Response.StatusCode = StatusCodes.Status302Found;
                    context.Response.Headers.Location = appUrl;
                    context.Response.Headers.CacheControl = "no-store";
                    return Task.CompletedTask;
                }
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
