using System.Globalization;
using System.Net;
using System.Text.Json;
using Portal.Session;
using Portal.Tests.ForwardAuth;
using Portal.Tests.Support;

namespace Portal.Tests.Session;

/// <summary>
/// A portal on a manual clock with two cookie entries: example.com with the global lifetimes (expiration 1h,
/// inactivity 5m, remember_me 1d) and example.net with its own name, same_site, inactivity and remember-me disabled.
/// Tests share it (they run one after another and each logs in afresh); the clock only moves forward.
/// </summary>
public sealed class SessionHttpFixture : IAsyncLifetime
{
    internal PortalTestHost Host { get; private set; } = null!;

    internal ManualTimeProvider Time => Host.Time!;

    public async Task InitializeAsync() => Host = await PortalTestHost.StartAsync("""
        session:
          expiration: 1h
          inactivity: 5m
          remember_me: 1d
          cookies:
            - domain: example.com
              authelia_url: https://auth.example.com/
            - domain: example.net
              name: net_session
              same_site: strict
              inactivity: 10m
              remember_me: -1
              authelia_url: https://auth.example.net/portal/
        """, manualClock: true);

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>Sessions through HTTP (authelia-behaviour §6, §1.4; peers-and-security §4b.5): lifetimes, cookies, ids.</summary>
public sealed class SessionHttpTests(SessionHttpFixture fixture) : IClassFixture<SessionHttpFixture>
{
    private const string ComCookie = "authelia_session";
    private const string NetCookie = "net_session";

    private PortalTestHost Host => fixture.Host;

    private async Task<HttpResponseMessage> LoginAsync(string user, string portalHost = "auth.example.com", string? cookieHeader = null, bool keepMeLoggedIn = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/firstfactor")
        {
            Content = PortalTestHost.JsonBody(new { username = user, password = PortalTestHost.Password, keepMeLoggedIn }),
        };
        request.Headers.Host = portalHost;
        if (cookieHeader is not null)
        {
            request.Headers.Add("Cookie", cookieHeader);
        }
        var response = await Host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    private async Task<string> LoginCookieAsync(string user, string portalHost = "auth.example.com", string name = ComCookie, bool keepMeLoggedIn = false)
    {
        using var response = await LoginAsync(user, portalHost, keepMeLoggedIn: keepMeLoggedIn);
        return AuthzTestSupport.CookieValue(response, name) ?? throw new InvalidOperationException("no session cookie");
    }

    private Task<HttpResponseMessage> AuthzAsync(string cookieHeader, string url = "https://app.example.com/") =>
        Host.ForwardAuthAsync(url, tweak: r => r.Headers.Add("Cookie", cookieHeader));

    private async Task<JsonElement> StateAsync(string cookieHeader, string portalHost = "auth.example.com")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/state");
        request.Headers.Host = portalHost;
        request.Headers.Add("Cookie", cookieHeader);
        using var response = await Host.Client.SendAsync(request);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data").Clone();
    }

    private static string Http(DateTimeOffset time) => time.UtcDateTime.ToString("R", CultureInfo.InvariantCulture);

    // ---- cookie attributes ----

    [Fact]
    public async Task Login_cookie_is_http_only_secure_lax_for_the_cookie_domain_and_lasts_expiration()
    {
        var now = fixture.Time.GetUtcNow();
        using var response = await LoginAsync("john");

        var line = AuthzTestSupport.SetCookie(response, ComCookie);
        Assert.NotNull(line);
        var attributes = AuthzTestSupport.CookieAttributes(line);
        Assert.Equal("example.com", attributes["Domain"]);
        Assert.Equal("/", attributes["Path"]);
        Assert.True(attributes.ContainsKey("Secure"));
        Assert.True(attributes.ContainsKey("HttpOnly"));
        Assert.Equal("Lax", attributes["SameSite"]);
        Assert.Equal("3600", attributes["Max-Age"]);
        Assert.Equal(Http(now.AddHours(1)), attributes["Expires"]);
        Assert.Equal(SessionIds.Length, AuthzTestSupport.CookieValue(response, ComCookie)!.Length);
    }

    [Fact]
    public async Task Each_cookie_entry_sets_its_own_name_domain_and_same_site()
    {
        using var response = await LoginAsync("john", "auth.example.net");

        Assert.Null(AuthzTestSupport.SetCookie(response, ComCookie));
        var attributes = AuthzTestSupport.CookieAttributes(AuthzTestSupport.SetCookie(response, NetCookie)!);
        Assert.Equal("example.net", attributes["Domain"]);
        Assert.Equal("Strict", attributes["SameSite"]);
        Assert.True(attributes.ContainsKey("Secure"));
        Assert.True(attributes.ContainsKey("HttpOnly"));

        var id = AuthzTestSupport.CookieValue(response, NetCookie)!;
        using var allowed = await AuthzAsync($"{NetCookie}={id}", "https://app.example.net/");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("john", PortalTestHost.Header(allowed, "Remote-User"));

        // The entry's name is the only name it answers to.
        using var otherName = await AuthzAsync($"{ComCookie}={id}", "https://app.example.net/");
        Assert.Equal(HttpStatusCode.Found, otherName.StatusCode);
        Assert.Equal("https://auth.example.net/portal/?rd=https%3A%2F%2Fapp.example.net%2F&rm=GET", otherName.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Session_carried_to_another_cookie_domain_is_destroyed()
    {
        var id = await LoginCookieAsync("john", "auth.example.net", NetCookie);

        // Same id under example.com's cookie name: the stored session belongs to example.net.
        using var moved = await AuthzAsync($"{ComCookie}={id}");
        Assert.Equal(HttpStatusCode.Found, moved.StatusCode);
        Assert.True(AuthzTestSupport.ExpiresCookie(moved, ComCookie));

        using var home = await AuthzAsync($"{NetCookie}={id}", "https://app.example.net/");
        Assert.Equal(HttpStatusCode.Found, home.StatusCode);
    }

    // ---- lifetimes ----

    [Fact]
    public async Task Activity_keeps_a_session_alive_past_inactivity_and_idling_longer_than_inactivity_ends_it()
    {
        var id = await LoginCookieAsync("john");

        fixture.Time.Advance(TimeSpan.FromMinutes(4));
        using (var first = await AuthzAsync($"{ComCookie}={id}"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        fixture.Time.Advance(TimeSpan.FromMinutes(4));
        using (var second = await AuthzAsync($"{ComCookie}={id}"))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode); // 8 minutes after login: the first call counted as activity
            Assert.Equal(id, AuthzTestSupport.CookieValue(second, ComCookie));
        }

        fixture.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        using var idle = await AuthzAsync($"{ComCookie}={id}");
        Assert.Equal(HttpStatusCode.Found, idle.StatusCode);
        Assert.True(AuthzTestSupport.ExpiresCookie(idle));

        // Replaying the cookie later does not bring it back.
        using var replay = await AuthzAsync($"{ComCookie}={id}");
        Assert.Equal(HttpStatusCode.Found, replay.StatusCode);
        Assert.Equal("", (await StateAsync($"{ComCookie}={id}")).GetProperty("username").GetString());
    }

    [Fact]
    public async Task Inactivity_set_on_a_cookie_entry_overrides_the_global_one()
    {
        var id = await LoginCookieAsync("john", "auth.example.net", NetCookie);

        fixture.Time.Advance(TimeSpan.FromMinutes(9));
        using (var within = await AuthzAsync($"{NetCookie}={id}", "https://app.example.net/"))
        {
            Assert.Equal(HttpStatusCode.OK, within.StatusCode);
        }
        fixture.Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        using var idle = await AuthzAsync($"{NetCookie}={id}", "https://app.example.net/");
        Assert.Equal(HttpStatusCode.Found, idle.StatusCode);
    }

    [Fact]
    public async Task Session_ends_at_expiration_however_active_it_is()
    {
        var id = await LoginCookieAsync("harry");
        for (var elapsed = 4; elapsed <= 56; elapsed += 4)
        {
            fixture.Time.Advance(TimeSpan.FromMinutes(4));
            using var active = await AuthzAsync($"{ComCookie}={id}");
            Assert.Equal(HttpStatusCode.OK, active.StatusCode);
        }
        fixture.Time.Advance(TimeSpan.FromMinutes(4));
        using var expired = await AuthzAsync($"{ComCookie}={id}");
        Assert.Equal(HttpStatusCode.Found, expired.StatusCode);
    }

    [Fact]
    public async Task Remember_me_lasts_remember_me_and_ignores_inactivity()
    {
        var now = fixture.Time.GetUtcNow();
        using var login = await LoginAsync("bob", keepMeLoggedIn: true);
        var attributes = AuthzTestSupport.CookieAttributes(AuthzTestSupport.SetCookie(login, ComCookie)!);
        Assert.Equal("86400", attributes["Max-Age"]);
        Assert.Equal(Http(now.AddDays(1)), attributes["Expires"]);
        var id = AuthzTestSupport.CookieValue(login, ComCookie)!;

        fixture.Time.Advance(TimeSpan.FromHours(6));
        using (var idleButRemembered = await AuthzAsync($"{ComCookie}={id}"))
        {
            Assert.Equal(HttpStatusCode.OK, idleButRemembered.StatusCode);
        }
        fixture.Time.Advance(TimeSpan.FromHours(18) - TimeSpan.FromSeconds(1));
        using (var lastSecond = await AuthzAsync($"{ComCookie}={id}"))
        {
            Assert.Equal(HttpStatusCode.OK, lastSecond.StatusCode);
        }
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        using var over = await AuthzAsync($"{ComCookie}={id}");
        Assert.Equal(HttpStatusCode.Found, over.StatusCode);
    }

    [Fact]
    public async Task Remember_me_disabled_on_a_cookie_entry_is_ignored_at_login()
    {
        using var login = await LoginAsync("bob", "auth.example.net", keepMeLoggedIn: true);
        var attributes = AuthzTestSupport.CookieAttributes(AuthzTestSupport.SetCookie(login, NetCookie)!);
        Assert.Equal("3600", attributes["Max-Age"]);
        var id = AuthzTestSupport.CookieValue(login, NetCookie)!;

        fixture.Time.Advance(TimeSpan.FromMinutes(11));
        using var idle = await AuthzAsync($"{NetCookie}={id}", "https://app.example.net/");
        Assert.Equal(HttpStatusCode.Found, idle.StatusCode);
    }

    // ---- ids ----

    [Fact]
    public async Task Planted_session_id_is_replaced_at_login_and_stays_worthless()
    {
        var planted = SessionIds.New();
        using var login = await LoginAsync("john", cookieHeader: $"{ComCookie}={planted}");
        var issued = AuthzTestSupport.CookieValue(login, ComCookie);

        Assert.NotNull(issued);
        Assert.NotEqual(planted, issued);
        using var attacker = await AuthzAsync($"{ComCookie}={planted}");
        Assert.Equal(HttpStatusCode.Found, attacker.StatusCode);
        using var victim = await AuthzAsync($"{ComCookie}={issued}");
        Assert.Equal(HttpStatusCode.OK, victim.StatusCode);
    }

    [Fact]
    public async Task Logging_in_again_issues_a_new_id_and_the_previous_one_is_dead()
    {
        var before = await LoginCookieAsync("bob");
        using var login = await LoginAsync("harry", cookieHeader: $"{ComCookie}={before}");
        var after = AuthzTestSupport.CookieValue(login, ComCookie)!;

        Assert.NotEqual(before, after);
        using var old = await AuthzAsync($"{ComCookie}={before}");
        Assert.Equal(HttpStatusCode.Found, old.StatusCode);
        using var current = await AuthzAsync($"{ComCookie}={after}");
        Assert.Equal("harry", PortalTestHost.Header(current, "Remote-User"));
    }

    [Fact]
    public async Task Logout_destroys_the_session_and_clears_the_cookie()
    {
        var id = await LoginCookieAsync("john");
        var state = await StateAsync($"{ComCookie}={id}");
        Assert.Equal("john", state.GetProperty("username").GetString());
        Assert.Equal(1, state.GetProperty("authentication_level").GetInt32());

        var request = new HttpRequestMessage(HttpMethod.Post, "/api/logout");
        request.Headers.Host = "auth.example.com";
        request.Headers.Add("Cookie", $"{ComCookie}={id}");
        using var logout = await Host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        Assert.True(AuthzTestSupport.ExpiresCookie(logout));
        Assert.Equal("example.com", AuthzTestSupport.CookieAttributes(AuthzTestSupport.SetCookie(logout, ComCookie)!)["Domain"]);

        using var after = await AuthzAsync($"{ComCookie}={id}");
        Assert.Equal(HttpStatusCode.Found, after.StatusCode);
        state = await StateAsync($"{ComCookie}={id}");
        Assert.Equal("", state.GetProperty("username").GetString());
        Assert.Equal(0, state.GetProperty("authentication_level").GetInt32());
    }
}
