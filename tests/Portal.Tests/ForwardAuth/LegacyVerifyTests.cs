using System.Net;
using Portal.Tests.Support;

namespace Portal.Tests.ForwardAuth;

/// <summary>Where <c>/api/verify</c> differs from the two current endpoints (authelia-behaviour §1.3–1.5).</summary>
public sealed class LegacyVerifyTests(AuthzMatrixFixture fixture) : IClassFixture<AuthzMatrixFixture>
{
    private PortalTestHost Host => fixture.Host;

    private static HttpRequestMessage Forwarded(HttpMethod verb, string query, string host = "app.example.com", string uri = "/x")
    {
        var request = new HttpRequestMessage(verb, "/api/verify" + query);
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", host);
        request.Headers.Add("X-Forwarded-Uri", uri);
        request.Headers.Add("Accept", "text/html");
        return request;
    }

    [Fact]
    public async Task Without_rd_or_x_authelia_url_an_anonymous_user_gets_a_plain_401()
    {
        using var response = await Host.Client.SendAsync(Forwarded(HttpMethod.Get, ""));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("401 Unauthorized", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task X_authelia_url_header_names_the_portal_when_rd_is_absent()
    {
        var request = Forwarded(HttpMethod.Get, "");
        request.Headers.Add("X-Authelia-URL", "https://login.example.com/");
        using var response = await Host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("https://login.example.com/?rd=https%3A%2F%2Fapp.example.com%2Fx&rm=GET", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Any_method_is_routed_and_without_x_forwarded_method_the_start_line_method_counts()
    {
        using var response = await Host.Client.SendAsync(Forwarded(HttpMethod.Post, "?rd=https%3A%2F%2Fauth.example.com%2F"));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("https://auth.example.com/?rd=https%3A%2F%2Fapp.example.com%2Fx&rm=POST", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task X_original_method_is_not_read_by_the_legacy_endpoint()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/verify?rd=https%3A%2F%2Fauth.example.com%2F");
        request.Headers.Add("X-Original-URL", "https://app.example.com/x");
        request.Headers.Add("X-Original-Method", "POST");
        request.Headers.Add("Accept", "text/html");
        using var response = await Host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.EndsWith("&rm=GET", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_x_forwarded_host_the_host_header_names_the_target()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/verify?rd=https%3A%2F%2Fauth.example.com%2F");
        request.Headers.Host = "app.example.com";
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Uri", "/x");
        request.Headers.Add("Cookie", $"authelia_session={fixture.John}");
        using var allowed = await Host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("john", PortalTestHost.Header(allowed, "Remote-User"));
    }

    [Fact]
    public async Task Auth_basic_query_reads_the_authorization_header_and_then_requires_it()
    {
        var request = Forwarded(HttpMethod.Get, "?auth=basic");
        request.Headers.Add("Authorization", PortalTestHost.BasicAuth("john", PortalTestHost.Password));
        using var allowed = await Host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("john", PortalTestHost.Header(allowed, "Remote-User"));

        // A signed-in browser without the header is challenged too: with auth=basic the header is the only way in.
        var missing = Forwarded(HttpMethod.Get, "?auth=basic&rd=https%3A%2F%2Fauth.example.com%2F");
        missing.Headers.Add("Cookie", $"authelia_session={fixture.John}");
        using var challenged = await Host.Client.SendAsync(missing);
        Assert.Equal(HttpStatusCode.Unauthorized, challenged.StatusCode);
        Assert.Equal("Basic realm=\"Authorization Required\"", PortalTestHost.Header(challenged, "WWW-Authenticate"));
        Assert.Null(challenged.Headers.Location);
    }

    [Fact]
    public async Task Sub_paths_of_api_verify_answer_like_api_verify()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/verify/anything?rd=https%3A%2F%2Fauth.example.com%2F");
        request.Headers.Add("X-Original-URL", "https://secure.example.com/x");
        request.Headers.Add("Accept", "text/html");
        request.Headers.Add("Cookie", $"authelia_session={fixture.John}");
        using var response = await Host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("https://auth.example.com/?rd=https%3A%2F%2Fsecure.example.com%2Fx&rm=GET", response.Headers.Location?.OriginalString);
    }

    /// <summary>X-Original-URL plus a forwarded target, as a proxy that passes client headers through would send them.</summary>
    private static HttpRequestMessage Both(string originalUrl, string forwardedHost, string? forwardedUri, string? cookie = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/verify");
        request.Headers.Add("X-Original-URL", originalUrl);
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", forwardedHost);
        if (forwardedUri is not null)
        {
            request.Headers.Add("X-Forwarded-Uri", forwardedUri);
        }
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"authelia_session={cookie}");
        }
        return request;
    }

    [Theory]
    [InlineData("https://public.example.com/", "app.example.com", "/secret", false)]   // anonymous: the bypass host would answer 200
    [InlineData("https://app.example.com/public", "app.example.com", "/secret", true)]
    [InlineData("https://app.example.com/x?a=1", "app.example.com", "/x?a=2", true)]
    [InlineData("https://app.example.com/x", "app.example.com:8443", "/x", true)]
    // Canonically equal, but an app that does not resolve dot segments reads /a/../x under /a.
    [InlineData("https://app.example.com/x", "app.example.com", "/a/../x", true)]
    public async Task X_original_url_and_a_forwarded_target_that_disagree_are_refused_with_401(string originalUrl, string forwardedHost, string forwardedUri, bool signedIn)
    {
        using var response = await Host.Client.SendAsync(Both(originalUrl, forwardedHost, forwardedUri, signedIn ? fixture.John : null));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(PortalTestHost.Header(response, "Remote-User"));
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task X_original_url_and_a_forwarded_target_that_agree_canonically_are_decided_as_before()
    {
        using var allowed = await Host.Client.SendAsync(Both("https://app.example.com/x?a=1", "APP.Example.com.", "/x?a=1", fixture.John));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("john", PortalTestHost.Header(allowed, "Remote-User"));

        var anonymous = Both("https://secure.example.com/x", "secure.example.com", "/x");
        anonymous.RequestUri = new Uri("/api/verify?rd=https%3A%2F%2Fauth.example.com%2F", UriKind.Relative);
        anonymous.Headers.Add("Accept", "text/html");
        using var redirected = await Host.Client.SendAsync(anonymous);
        Assert.Equal(HttpStatusCode.Found, redirected.StatusCode);
        Assert.Equal("https://auth.example.com/?rd=https%3A%2F%2Fsecure.example.com%2Fx&rm=GET", redirected.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Without_x_forwarded_uri_x_original_url_still_names_the_target()
    {
        // nginx configurations often set only X-Forwarded-Proto and -Host next to X-Original-URL.
        using var response = await Host.Client.SendAsync(Both("https://public.example.com/", "app.example.com", forwardedUri: null));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
