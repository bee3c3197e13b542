using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Users;
using Portal.AccessControl;
using Portal.ForwardAuth;
using Portal.Cli;
using Portal.Session;
using Portal.Tests.Support;

namespace Portal.Tests.ForwardAuth;

/// <summary>Which rule of <see cref="PasskeyUvMatrix.AccessControl"/> a request hits.</summary>
public enum UvRule
{
    Allow,
    Deny,
    Unset,
}

/// <summary>What the session proved, as the login endpoints record it.</summary>
public enum UvSession
{
    PasswordOnly,
    PasskeyUv,
    PasskeyNoUv,
    PasskeyUvThenPassword,
    PasswordThenSecurityKey,
}

/// <summary>The rules, sessions and expectations of the per-rule passkey matrix (issue 6 point 4).</summary>
internal static class PasskeyUvMatrix
{
    public const string AccessControl = """
        access_control:
          default_policy: deny
          rules:
            - domain: 'uv-allow.example.com'
              policy: two_factor
              passkey_uv_two_factor: allow
            - domain: 'uv-deny.example.com'
              policy: two_factor
              passkey_uv_two_factor: deny
            - domain: 'uv-unset.example.com'
              policy: two_factor
        """;

    /// <summary>Passkey login on (a passkey session exists only then), the global UV switch as given.</summary>
    public static string WebAuthn(bool globalUv) => $"""

        webauthn:
          enable_passkey_login: true
          experimental_enable_passkey_uv_two_factors: {(globalUv ? "true" : "false")}
          selection_criteria:
            user_verification: required

        """;

    public static string Host(UvRule rule) => rule switch
    {
        UvRule.Allow => "uv-allow.example.com",
        UvRule.Deny => "uv-deny.example.com",
        _ => "uv-unset.example.com",
    };

    /// <summary>The <c>check-policy --factors</c> spelling of each session.</summary>
    public static string Factors(UvSession session) => session switch
    {
        UvSession.PasswordOnly => "password",
        UvSession.PasskeyUv => "passkey-uv",
        UvSession.PasskeyNoUv => "passkey",
        UvSession.PasskeyUvThenPassword => "passkey-uv,password",
        _ => "password,security-key",
    };

    /// <summary>
    /// The specification, written out independently of the code: a UV passkey alone passes when the rule says
    /// <c>allow</c>, or says nothing and the global switch is on; a passkey without UV, or a password alone, never
    /// passes two_factor; something known plus something held always does.
    /// </summary>
    public static AuthzOutcome Expected(bool globalUv, UvRule rule, UvSession session) => session switch
    {
        UvSession.PasswordOnly or UvSession.PasskeyNoUv => AuthzOutcome.Unauthorized,
        UvSession.PasskeyUv => rule == UvRule.Allow || (rule == UvRule.Unset && globalUv) ? AuthzOutcome.Authorized : AuthzOutcome.Unauthorized,
        _ => AuthzOutcome.Authorized,
    };

    /// <summary>
    /// A signed-in session for john written straight into the portal's store, with exactly the methods the login
    /// endpoints record (the passkey ceremonies have their own HTTP tests). Returns the cookie value.
    /// </summary>
    public static async Task<string> StoreSessionAsync(PortalTestHost host, UvSession kind)
    {
        var services = host.App.Services;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var john = services.GetRequiredService<IUserProvider>().GetDetails("john") ?? throw new InvalidOperationException("no john");
        var session = UserSession.NewAnonymous("example.com", now);
        switch (kind)
        {
            case UvSession.PasswordOnly:
                session.SetOneFactorPassword(now, john, keepMeLoggedIn: false);
                break;
            case UvSession.PasskeyUv:
            case UvSession.PasskeyNoUv:
                session.SetOneFactorPasskey(now, john, keepMeLoggedIn: false, crossPlatform: false, userPresent: true, userVerified: kind == UvSession.PasskeyUv);
                break;
            case UvSession.PasskeyUvThenPassword:
                session.SetOneFactorPasskey(now, john, keepMeLoggedIn: false, crossPlatform: false, userPresent: true, userVerified: true);
                session.SetTwoFactorPassword(now);
                break;
            case UvSession.PasswordThenSecurityKey:
                session.SetOneFactorPassword(now, john, keepMeLoggedIn: false);
                session.SetTwoFactorWebAuthn(now, crossPlatform: true, userPresent: true, userVerified: false);
                break;
        }
        var id = SessionIds.New();
        await services.GetRequiredService<ISessionStore>().SaveAsync(id, session, TimeSpan.FromHours(1), CancellationToken.None);
        return id;
    }

    /// <summary>What a proxy does with the answer: 200 forwards, 403 refuses, 302/401 send the user to log in.</summary>
    public static AuthzOutcome FromStatus(HttpStatusCode status) => status switch
    {
        HttpStatusCode.OK => AuthzOutcome.Authorized,
        HttpStatusCode.Forbidden => AuthzOutcome.Forbidden,
        HttpStatusCode.Found or HttpStatusCode.Unauthorized => AuthzOutcome.Unauthorized,
        _ => throw new InvalidOperationException($"unexpected status {(int)status}"),
    };
}

/// <summary>One in-process gateway (with its portal) per position of the global switch, and a session per kind.</summary>
public sealed class PasskeyUvMatrixFixture : IAsyncLifetime
{
    private readonly Dictionary<bool, GatewayTestHost> _hosts = [];
    private readonly Dictionary<(bool, UvSession), string> _cookies = [];

    internal GatewayTestHost Gateway(bool globalUv) => _hosts[globalUv];

    internal string Cookie(bool globalUv, UvSession session) => _cookies[(globalUv, session)];

    public async Task InitializeAsync()
    {
        foreach (var globalUv in new[] { false, true })
        {
            var host = await GatewayTestHost.StartInProcessAsync(accessControl: PasskeyUvMatrix.AccessControl, extraYaml: PasskeyUvMatrix.WebAuthn(globalUv));
            _hosts[globalUv] = host;
            foreach (var kind in Enum.GetValues<UvSession>())
            {
                _cookies[(globalUv, kind)] = await PasskeyUvMatrix.StoreSessionAsync(host.Portal, kind);
            }
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts.Values)
        {
            await host.DisposeAsync();
        }
    }
}

/// <summary>
/// Issue 6 acceptance: <c>check-policy</c>, <c>/api/authz/forward-auth</c>, <c>/api/authz/auth-request</c> and the
/// gateway agree with the one shared decision function on every per-rule passkey case, and that function agrees
/// with the specification — global switch on/off × rule allow/deny/unset × five kinds of session.
/// </summary>
public sealed class PasskeyUvRuleMatrixTests(PasskeyUvMatrixFixture fixture) : IClassFixture<PasskeyUvMatrixFixture>
{
    public static TheoryData<bool, UvRule, UvSession> Cases()
    {
        var data = new TheoryData<bool, UvRule, UvSession>();
        foreach (var globalUv in new[] { false, true })
        {
            foreach (var rule in Enum.GetValues<UvRule>())
            {
                foreach (var session in Enum.GetValues<UvSession>())
                {
                    data.Add(globalUv, rule, session);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_surface_gives_the_outcome_of_the_shared_decision_function(bool globalUv, UvRule rule, UvSession session)
    {
        var expected = PasskeyUvMatrix.Expected(globalUv, rule, session);
        var gateway = fixture.Gateway(globalUv);
        var portal = gateway.Portal;
        var host = PasskeyUvMatrix.Host(rule);
        var url = $"https://{host}/some/page";
        var cookie = fixture.Cookie(globalUv, session);

        // The pure function, fed what the session store holds.
        var stored = await portal.App.Services.GetRequiredService<ISessionStore>().LoadAsync(cookie, CancellationToken.None);
        Assert.NotNull(stored);
        var engine = portal.App.Services.GetRequiredService<AccessControlEngine>();
        Assert.True(AccessTarget.TryCreate(url, "GET", out var target, out _));
        var decision = engine.Decide(new Subject("john", stored.Groups, IPAddress.Loopback), target);
        Assert.Equal(expected, AuthzDecision.Evaluate(decision, stored.AuthenticationMethods, globalUv));

        // check-policy, in process, on the very configuration files the portal was started from.
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["access-control", "check-policy", "--config", Path.Combine(portal.DirectoryPath, "config.yml"),
            "--config", Path.Combine(portal.DirectoryPath, "extra.yml"), "--url", url, "--username", "john", "--groups", "admins,dev",
            "--ip", "127.0.0.1", "--factors", PasskeyUvMatrix.Factors(session), "--json"], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        using var json = JsonDocument.Parse(stdout.ToString());
        Assert.Equal(expected.ToString().ToLowerInvariant(), json.RootElement.GetProperty("outcome").GetString());
        Assert.Equal(rule switch { UvRule.Allow => "allow", UvRule.Deny => "deny", _ => null }, json.RootElement.GetProperty("passkey_uv_two_factor").GetString());

        // The authz endpoints, asked as Traefik/Caddy and as nginx would.
        using (var forwardAuth = await portal.ForwardAuthAsync(url, cookie: cookie))
        {
            Assert.Equal(expected, PasskeyUvMatrix.FromStatus(forwardAuth.StatusCode));
        }
        using (var authRequest = await portal.AuthRequestAsync(url, cookie: cookie))
        {
            Assert.Equal(expected, PasskeyUvMatrix.FromStatus(authRequest.StatusCode));
        }

        // The gateway (in-process AuthorizeAsync): a 200 must really be the upstream's answer.
        using var viaGateway = await gateway.GetAsync(host, "/some/page", cookie);
        Assert.Equal(expected, PasskeyUvMatrix.FromStatus(viaGateway.StatusCode));
        Assert.Equal(expected == AuthzOutcome.Authorized, PortalTestHost.Header(viaGateway, "X-Upstream") == EchoUpstream.Marker);
    }
}

/// <summary>The remote gateway (<c>portal gateway</c>) asks forward-auth over HTTP, so the per-rule setting reaches it too.</summary>
public sealed class PasskeyUvRemoteGatewayTests
{
    [Fact]
    public async Task A_remote_gateway_applies_both_overrides_of_the_global_switch()
    {
        // StartRemoteAsync appends its access-control text to the portal's file, so the webauthn section rides along.
        await using var gateway = await GatewayTestHost.StartRemoteAsync(accessControl: PasskeyUvMatrix.AccessControl + PasskeyUvMatrix.WebAuthn(globalUv: true));
        var passkeyUv = await PasskeyUvMatrix.StoreSessionAsync(gateway.Portal, UvSession.PasskeyUv);
        var passkeyNoUv = await PasskeyUvMatrix.StoreSessionAsync(gateway.Portal, UvSession.PasskeyNoUv);

        using (var allowed = await gateway.GetAsync(PasskeyUvMatrix.Host(UvRule.Unset), "/", passkeyUv))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
        using (var denied = await gateway.GetAsync(PasskeyUvMatrix.Host(UvRule.Deny), "/", passkeyUv))
        {
            Assert.Equal(HttpStatusCode.Found, denied.StatusCode);
        }
        using (var noUv = await gateway.GetAsync(PasskeyUvMatrix.Host(UvRule.Allow), "/", passkeyNoUv))
        {
            Assert.Equal(HttpStatusCode.Found, noUv.StatusCode);
        }
        Assert.Single(gateway.Reached("/"));
    }
}
