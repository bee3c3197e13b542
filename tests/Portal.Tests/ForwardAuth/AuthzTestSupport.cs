using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Portal.Regulation;
using Portal.Session;
using Portal.Tests.Support;

namespace Portal.Tests.ForwardAuth;

/// <summary>
/// One portal (default test configuration, plus a basic-credential cache on Authelia's three endpoints) with sessions
/// logged in through <c>/api/firstfactor</c>, shared by every test of a class: the 1-2 s login and basic-auth delays
/// would otherwise dominate the run.
/// </summary>
public sealed class AuthzMatrixFixture : IAsyncLifetime
{
    /// <summary>Authelia's default endpoints and strategies, spelled out, with <c>scheme_basic_cache_lifespan: 1m</c>.</summary>
    internal const string CachedEndpoints = """
        server:
          endpoints:
            authz:
              forward-auth:
                implementation: 'ForwardAuth'
                authn_strategies:
                  - name: 'HeaderAuthorization'
                    schemes: ['basic']
                    scheme_basic_cache_lifespan: '1m'
                  - name: 'CookieSession'
              auth-request:
                implementation: 'AuthRequest'
                authn_strategies:
                  - name: 'HeaderAuthorization'
                    schemes: ['basic']
                    scheme_basic_cache_lifespan: '1m'
                  - name: 'CookieSession'
              legacy:
                implementation: 'Legacy'
                authn_strategies:
                  - name: 'HeaderLegacy'
                    scheme_basic_cache_lifespan: '1m'
                  - name: 'CookieSession'

        """;

    internal PortalTestHost Host { get; private set; } = null!;

    /// <summary>john (admins, dev), one factor (password).</summary>
    internal string John { get; private set; } = "";

    /// <summary>john with a second factor recorded in his session.</summary>
    internal string JohnTwoFactor { get; private set; } = "";

    /// <summary>harry (dev), one factor.</summary>
    internal string Harry { get; private set; } = "";

    /// <summary>bob (no groups), one factor.</summary>
    internal string Bob { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Host = await PortalTestHost.StartAsync(CachedEndpoints);
        John = await Host.LoginAsync("john");
        JohnTwoFactor = await Host.LoginAsync("john");
        await Host.AddSecondFactorAsync(JohnTwoFactor);
        Harry = await Host.LoginAsync("harry");
        Bob = await Host.LoginAsync("bob");
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

internal static class AuthzTestSupport
{
    /// <summary>
    /// Records a WebAuthn second factor in an existing session, as a completed 2FA ceremony would. Passkeys have their
    /// own HTTP tests; here only the resulting level matters.
    /// </summary>
    public static async Task AddSecondFactorAsync(this PortalTestHost host, string cookie, string domainHost = "app.example.com")
    {
        var manager = host.App.Services.GetRequiredService<SessionProvider>().ForHost(domainHost)!;
        var active = await manager.LoadAsync(cookie, CancellationToken.None);
        if (active.Session.IsAnonymous)
        {
            throw new InvalidOperationException("no signed-in session under that cookie");
        }
        var time = host.App.Services.GetRequiredService<TimeProvider>();
        active.Session.SetTwoFactorWebAuthn(time.GetUtcNow(), crossPlatform: true, userPresent: true, userVerified: true);
        await manager.SaveAsync(active, CancellationToken.None);
    }

    /// <summary>How many authentication attempts (successful or not) the log holds for <paramref name="username"/>.</summary>
    public static async Task<int> AttemptCountAsync(this PortalTestHost host, string username)
    {
        var store = host.App.Services.GetRequiredService<IAuthenticationLogStore>();
        var attempts = await store.ReadRecentAttemptsAsync(RegulationSubject.User, username, DateTimeOffset.MinValue, AuthenticationTypes.All,
            failuresOnly: false, limit: 10_000);
        return attempts.Count;
    }

    /// <summary>Every <c>Set-Cookie</c> line of a response.</summary>
    public static IReadOnlyList<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];

    /// <summary>The <c>Set-Cookie</c> line for cookie <paramref name="name"/>, or null.</summary>
    public static string? SetCookie(HttpResponseMessage response, string name) =>
        SetCookies(response).FirstOrDefault(c => c.StartsWith(name + "=", StringComparison.Ordinal));

    /// <summary>The value of cookie <paramref name="name"/> set by a response, or null.</summary>
    public static string? CookieValue(HttpResponseMessage response, string name)
    {
        var line = SetCookie(response, name);
        if (line is null)
        {
            return null;
        }
        var end = line.IndexOf(';', StringComparison.Ordinal);
        return line[(name.Length + 1)..(end < 0 ? line.Length : end)];
    }

    /// <summary>The attributes of a <c>Set-Cookie</c> line, keyed case-insensitively; flags map to "".</summary>
    public static Dictionary<string, string> CookieAttributes(string setCookie)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in setCookie.Split(';').Skip(1))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = (eq < 0 ? part : part[..eq]).Trim();
            result[key] = eq < 0 ? "" : part[(eq + 1)..].Trim();
        }
        return result;
    }

    /// <summary>True when the response tells the browser to drop cookie <paramref name="name"/>.</summary>
    public static bool ExpiresCookie(HttpResponseMessage response, string name = "authelia_session") =>
        SetCookie(response, name) is { } line && CookieValue(response, name) == "" && CookieAttributes(line)["Max-Age"] == "0";

    /// <summary>
    /// Sends a request over a raw socket so that header lines can be repeated exactly as written (HttpClient folds a
    /// repeated header into one comma-joined line). Returns the status code.
    /// </summary>
    public static async Task<int> SendRawAsync(this PortalTestHost host, string path, params string[] headerLines)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, host.BaseAddress.Port);
        var stream = client.GetStream();
        var request = new StringBuilder()
            .Append("GET ").Append(path).Append(" HTTP/1.1\r\n")
            .Append("Host: 127.0.0.1\r\n")
            .Append("Connection: close\r\n");
        foreach (var line in headerLines)
        {
            request.Append(line).Append("\r\n");
        }
        request.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync() ?? throw new InvalidOperationException("no response");
        return int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
