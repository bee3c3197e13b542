using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portal.Configuration;
using Portal.Crypto;
using Portal.Infrastructure;

namespace Portal.Tests.Support;

/// <summary>
/// A real portal on a real Kestrel socket (127.0.0.1, ephemeral port), built from YAML the way <c>portal serve</c>
/// builds it, with its own users file, SQLite database and (optionally) a manual clock. Requests come from
/// loopback, which the default <c>server.trusted_proxies</c> trusts, so tests act as the reverse proxy.
/// </summary>
internal sealed class PortalTestHost : IAsyncDisposable
{
    public const string Password = "password";

    /// <summary>Cheap argon2 parameters: the tests are about the portal, not about hashing cost.</summary>
    private static readonly Lazy<string> PasswordHash = new(() => new PasswordHasher(new Argon2Parameters(Argon2Variant.Argon2id, 1, 64, 1, 32, 16)).Hash(Password));

    /// <summary>Users: john (admins, dev), harry (dev), bob (no groups), james (disabled).</summary>
    public static string UsersYaml => $"""
        users:
          john:
            displayname: 'John Doe'
            password: '{PasswordHash.Value}'
            email: ['john@example.com', 'jd@example.org']
            groups: ['admins', 'dev']
          harry:
            displayname: 'Harry Potter'
            password: '{PasswordHash.Value}'
            email: 'harry@example.com'
            groups: ['dev']
          bob:
            displayname: 'Bob Dylan'
            password: '{PasswordHash.Value}'
            email: 'bob@example.com'
          james:
            displayname: 'James Dean'
            password: '{PasswordHash.Value}'
            email: 'james@example.com'
            disabled: true
        """;

    /// <summary>
    /// Two cookie domains; rules in Authelia-docs style: bypass, deny, one_factor, two_factor, a subject rule,
    /// a deny rule with a subject (the anonymous "potential match"), and networks.
    /// </summary>
    /// <summary>The tests' <c>storage</c> section: SQLite next to the configuration (the body, indented by two).</summary>
    public const string DefaultStorage = """
          encryption_key: a-very-long-encryption-key-for-the-tests
          local:
            path: db.sqlite3
        """;

    public const string DefaultAccessControl = """
        access_control:
          default_policy: deny
          rules:
            - domain: 'public.example.com'
              policy: bypass
            - domain: 'deny.example.com'
              policy: deny
            - domain: 'secure.example.com'
              policy: two_factor
            - domain: 'admin.example.com'
              subject: 'group:admins'
              policy: one_factor
            - domain: 'admin.example.com'
              subject: 'group:dev'
              policy: deny
            - domain: ['app.example.com', 'app.example.net']
              policy: one_factor
            - domain: 'internal.example.com'
              networks: ['10.0.0.0/8']
              policy: bypass
            - domain: 'internal.example.com'
              policy: one_factor
        """;

    private readonly TempDirectory _dir;

    private PortalTestHost(TempDirectory dir, WebApplication app, PortalOptions options, ManualTimeProvider? time)
    {
        _dir = dir;
        App = app;
        Options = options;
        Time = time;
        BaseAddress = new Uri(PortalApp.BoundAddresses(app)[0]);
        Client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };
    }

    public WebApplication App { get; }
    public PortalOptions Options { get; }
    public ManualTimeProvider? Time { get; }
    public Uri BaseAddress { get; }

    /// <summary>No redirects followed, no cookie jar: tests see exactly what a proxy sees.</summary>
    public HttpClient Client { get; }

    public string DirectoryPath => _dir.Path;

    /// <summary>
    /// Writes the tests' users file and configuration (listening on a free loopback port, the database and the
    /// notification file next to it) into <paramref name="dir"/>; returns the configuration's path.
    /// </summary>
    /// <param name="storage">the <c>storage</c> section in place of the default (SQLite next to the config), indented by two</param>
    public static string WriteConfig(TempDirectory dir, string? accessControl = null, string? storage = null)
    {
        File.WriteAllText(dir.File("users.yml"), UsersYaml);
        return dir.Write("config.yml", $"""
            server:
              address: 'tcp://127.0.0.1:0/'
            log:
              level: warn
            authentication_backend:
              file:
                path: users.yml
            session:
              cookies:
                - domain: example.com
                  authelia_url: https://auth.example.com/
                - domain: example.net
                  authelia_url: https://auth.example.net/portal/
            storage:
            {storage ?? DefaultStorage}
            notifier:
              filesystem:
                filename: notification.txt
            {accessControl ?? DefaultAccessControl}
            """);
    }

    /// <param name="extraYaml">YAML merged over the defaults (a second config file), e.g. a <c>session.redis</c> section</param>
    /// <param name="manualClock">run the portal on a <see cref="ManualTimeProvider"/> (sessions, bans)</param>
    /// <param name="reloadable">reload the configuration files on change, as <c>serve</c> does (<see cref="ConfigReloader"/>)</param>
    /// <param name="storage">see <see cref="WriteConfig"/></param>
    public static async Task<PortalTestHost> StartAsync(string? extraYaml = null, bool manualClock = false, string? accessControl = null,
        IReadOnlyDictionary<string, string>? environment = null, Action<WebApplicationBuilder>? configure = null, bool reloadable = false,
        string? storage = null)
    {
        var dir = new TempDirectory();
        try
        {
            var files = new List<string> { WriteConfig(dir, accessControl, storage) };
            if (extraYaml is not null)
            {
                files.Add(dir.Write("extra.yml", extraYaml));
            }
            var loaded = ConfigLoader.Load(files, environment);
            if (!loaded.IsValid)
            {
                throw new InvalidOperationException("test configuration is invalid:\n" + string.Join("\n", loaded.Diagnostics.Errors));
            }
            var time = manualClock ? new ManualTimeProvider(DateTimeOffset.UtcNow) : null;
            var app = await PortalApp.BuildAsync(loaded.Options, builder =>
            {
                if (time is not null)
                {
                    builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
                }
                if (reloadable)
                {
                    ConfigReloader.Register(builder.Services, files, loaded.Options);
                }
                configure?.Invoke(builder);
            });
            await app.StartAsync();
            return new PortalTestHost(dir, app, loaded.Options, time);
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    /// <summary>Logs in through <c>/api/firstfactor</c> and returns the session cookie value.</summary>
    public async Task<string> LoginAsync(string username, string password = Password, string portalHost = "auth.example.com")
    {
        using var response = await FirstFactorAsync(username, password, portalHost: portalHost);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"login as {username} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        return SessionCookie(response) ?? throw new InvalidOperationException("login set no session cookie");
    }

    public Task<HttpResponseMessage> FirstFactorAsync(string username, string password, string? targetUrl = null, string? requestMethod = null,
        bool keepMeLoggedIn = false, string portalHost = "auth.example.com", string? cookie = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/firstfactor")
        {
            Content = JsonBody(new { username, password, keepMeLoggedIn, targetURL = targetUrl, requestMethod }),
        };
        request.Headers.Host = portalHost;
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"authelia_session={cookie}");
        }
        return Client.SendAsync(request);
    }

    /// <summary>A Traefik/Caddy-shaped forward-auth call for <paramref name="url"/>.</summary>
    public Task<HttpResponseMessage> ForwardAuthAsync(string url, string method = "GET", string? cookie = null, string accept = "text/html",
        Action<HttpRequestMessage>? tweak = null)
    {
        var target = new Uri(url);
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/authz/forward-auth");
        request.Headers.Add("X-Forwarded-Proto", target.Scheme);
        request.Headers.Add("X-Forwarded-Host", target.Authority);
        request.Headers.Add("X-Forwarded-Uri", target.PathAndQuery);
        request.Headers.Add("X-Forwarded-Method", method);
        return SendAuthz(request, cookie, accept, tweak);
    }

    /// <summary>An nginx <c>auth_request</c>-shaped call for <paramref name="url"/>.</summary>
    public Task<HttpResponseMessage> AuthRequestAsync(string url, string method = "GET", string? cookie = null, string accept = "text/html",
        Action<HttpRequestMessage>? tweak = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/authz/auth-request");
        request.Headers.Add("X-Original-URL", url);
        request.Headers.Add("X-Original-Method", method);
        return SendAuthz(request, cookie, accept, tweak);
    }

    private Task<HttpResponseMessage> SendAuthz(HttpRequestMessage request, string? cookie, string accept, Action<HttpRequestMessage>? tweak)
    {
        if (accept.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"authelia_session={cookie}");
        }
        tweak?.Invoke(request);
        return Client.SendAsync(request);
    }

    /// <summary>POSTs JSON to a portal endpoint on auth.example.com, with the session cookie when given.</summary>
    public async Task<HttpResponseMessage> PostJsonAsync(string path, object body, string? cookie = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonBody(body) };
        request.Headers.Host = "auth.example.com";
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"authelia_session={cookie}");
        }
        return await Client.SendAsync(request);
    }

    public static StringContent JsonBody(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    public static string BasicAuth(string username, string password) =>
        new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"))).ToString();

    /// <summary>The session cookie value set by a response, or null (an expiring cookie counts as "").</summary>
    public static string? SessionCookie(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            return null;
        }
        foreach (var value in values)
        {
            if (value.StartsWith("authelia_session=", StringComparison.Ordinal))
            {
                return value["authelia_session=".Length..value.IndexOf(';', StringComparison.Ordinal)];
            }
        }
        return null;
    }

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var v) ? string.Join(",", v) : response.Content.Headers.TryGetValues(name, out var c) ? string.Join(",", c) : null;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        _dir.Dispose();
    }
}
