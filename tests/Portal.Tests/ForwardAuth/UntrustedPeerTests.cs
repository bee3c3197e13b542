using System.Net;
using Portal.Tests.Support;

namespace Portal.Tests.ForwardAuth;

/// <summary>A portal whose <c>server.trusted_proxies</c> does not include loopback: the tests are an untrusted peer.</summary>
public sealed class UntrustedPeerFixture : IAsyncLifetime
{
    internal PortalTestHost Host { get; private set; } = null!;

    internal string John { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Host = await PortalTestHost.StartAsync("""
            server:
              trusted_proxies: ['10.0.0.0/8']
            """);
        // The login itself works: the portal host comes from the Host header, which is the browser's own.
        John = await Host.LoginAsync("john");
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// Trusted proxies (issue 3 scope 3; peers-and-security §4b.2): forward-auth headers are believed only from a
/// configured proxy, so a client reaching the portal directly can neither ask about a target nor pose as a proxy.
/// </summary>
public sealed class UntrustedPeerTests(UntrustedPeerFixture fixture) : IClassFixture<UntrustedPeerFixture>
{
    private PortalTestHost Host => fixture.Host;

    public static TheoryData<string, string> Calls => new()
    {
        { "forward-auth", "https://app.example.com/" },
        { "forward-auth", "https://public.example.com/" },
        { "auth-request", "https://app.example.com/" },
        { "auth-request", "https://public.example.com/" },
        { "verify", "https://app.example.com/" },
        { "verify", "https://public.example.com/" },
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Authz_call_from_an_untrusted_peer_is_refused_even_with_a_valid_session_or_a_bypass_rule(string endpoint, string url)
    {
        var target = new Uri(url);
        var request = new HttpRequestMessage(HttpMethod.Get, endpoint == "verify" ? "/api/verify?rd=https%3A%2F%2Fauth.example.com%2F" : $"/api/authz/{endpoint}");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", target.Authority);
        request.Headers.Add("X-Forwarded-Uri", target.PathAndQuery);
        request.Headers.Add("X-Forwarded-Method", "GET");
        request.Headers.Add("X-Original-URL", url);
        request.Headers.Add("X-Original-Method", "GET");
        request.Headers.Add("X-Forwarded-For", "10.1.2.3");
        request.Headers.Add("Cookie", $"authelia_session={fixture.John}");
        using var response = await Host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Null(PortalTestHost.Header(response, "Remote-User"));
    }

    [Fact]
    public async Task Forwarded_host_from_an_untrusted_peer_does_not_choose_the_portal_cookie_domain()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/firstfactor")
        {
            Content = PortalTestHost.JsonBody(new { username = "john", password = PortalTestHost.Password }),
        };
        request.Headers.Host = "127.0.0.1";
        request.Headers.Add("X-Forwarded-Host", "auth.example.com");
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await Host.Client.SendAsync(request);

        // Believed, the header would have put the login under example.com; ignored, 127.0.0.1 is under no cookie domain.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(PortalTestHost.SessionCookie(response));
    }
}
