using System.Net;
using Microsoft.AspNetCore.Http;
using Portal.ForwardAuth;

namespace Portal.Tests.ForwardAuth;

/// <summary>Each proxy shape's reading of a call (HTTP → <see cref="AuthzRequest"/>) and its answers, without a portal.</summary>
public sealed class AuthzProfileTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.7");

    private static HttpRequest Call(string method = "GET", string path = "/api/verify", string query = "", params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("auth.example.com");
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        foreach (var (name, value) in headers)
        {
            context.Request.Headers.Append(name, value);
        }
        return context.Request;
    }

    private static AuthzRequest Read(AuthzProfile profile, HttpRequest call)
    {
        Assert.True(profile.TryRead(call, Client, profile.DefaultStrategies, out var authz, out var error), error);
        return authz;
    }

    private static string Error(AuthzProfile profile, HttpRequest call)
    {
        Assert.False(profile.TryRead(call, Client, profile.DefaultStrategies, out var authz, out var error));
        Assert.Null(authz);
        return error;
    }

    private static readonly (string, string)[] Forwarded =
        [("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "app.example.com"), ("X-Forwarded-Uri", "/a%2Fb?x=1"), ("X-Forwarded-Method", "POST")];

    [Fact]
    public void Profiles_match_their_implementations_and_endpoints()
    {
        foreach (var implementation in Enum.GetValues<AuthzImplementation>())
        {
            Assert.Equal(implementation, AuthzProfile.For(implementation).Implementation);
        }
        Assert.All(AuthzEndpoint.Defaults, e => Assert.Same(e.Profile.DefaultStrategies, e.Strategies));
        Assert.Equal([AuthnStrategyKind.HeaderLegacy, AuthnStrategyKind.CookieSession], AuthzProfile.Legacy.DefaultStrategies.Select(s => s.Kind));
        Assert.Equal([AuthnStrategyKind.HeaderAuthorization, AuthnStrategyKind.CookieSession], AuthzProfile.ForwardAuth.DefaultStrategies.Select(s => s.Kind));
        Assert.Equal([AuthnStrategyKind.HeaderAuthorization, AuthnStrategyKind.CookieSession], AuthzProfile.AuthRequest.DefaultStrategies.Select(s => s.Kind));
    }

    [Fact]
    public void Forward_auth_reads_the_x_forwarded_target_and_the_credential_headers()
    {
        var call = Call(path: "/api/authz/forward-auth", query: "?authelia_url=https%3A%2F%2Fauth.example.com%2F&rd=https%3A%2F%2Fx&auth=basic",
            headers: [.. Forwarded, ("X-Original-URL", "https://other.example.com/"), ("Cookie", "a=1"), ("Cookie", "b=2"), ("Authorization", "Basic eA=="),
                ("Proxy-Authorization", "Basic eQ=="), ("Accept", "text/html"), ("X-Requested-With", "XMLHttpRequest"), ("Session-Username", "john")]);

        var authz = Read(AuthzProfile.ForwardAuth, call);

        Assert.Same(AuthzProfile.ForwardAuth, authz.Profile);
        Assert.Equal("https://app.example.com/a/b?x=1", authz.Target.ToString());
        Assert.Equal("POST", authz.Target.Method);
        // rd gets the URL as the user spelled it, not the canonical form.
        Assert.Equal("https://app.example.com/a%2Fb?x=1", authz.OriginalUrl);
        Assert.Equal(Client, authz.ClientIp);
        Assert.Equal(["a=1", "b=2"], authz.Cookies);
        Assert.Equal(("Basic eA==", "Basic eQ==", "text/html", "XMLHttpRequest", "john"),
            (authz.Authorization, authz.ProxyAuthorization, authz.Accept, authz.RequestedWith, authz.SessionUsername));
        // Its override is authelia_url; rd and auth=basic are /api/verify's.
        Assert.Equal("https://auth.example.com/", authz.PortalUrlOverride);
        Assert.False(authz.BasicDemanded);
        Assert.Same(AuthzProfile.ForwardAuth.DefaultStrategies, authz.Strategies);
    }

    [Theory]
    [InlineData("X-Forwarded-Method", "missing X-Forwarded-Method")]
    [InlineData("X-Forwarded-Host", "missing X-Forwarded-Host")]
    public void Forward_auth_needs_a_host_and_a_method(string left, string error)
    {
        var call = Call(headers: [.. Forwarded.Where(h => h.Item1 != left)]);

        Assert.Equal(error, Error(AuthzProfile.ForwardAuth, call));
    }

    [Fact]
    public void A_target_header_sent_twice_is_refused()
    {
        var call = Call(headers: [.. Forwarded, ("X-Forwarded-Host", "evil.example.com")]);

        Assert.Equal("X-Forwarded-Host was sent more than once", Error(AuthzProfile.ForwardAuth, call));
    }

    [Fact]
    public void Auth_request_reads_x_original_url_and_method()
    {
        var call = Call(path: "/api/authz/auth-request", query: "?authelia_url=https%3A%2F%2Fauth.example.com",
            headers: [("X-Original-URL", "https://app.example.com/a%2Fb"), ("X-Original-Method", "DELETE"), ("X-Forwarded-Host", "other.example.com")]);

        var authz = Read(AuthzProfile.AuthRequest, call);

        Assert.Equal(("https://app.example.com/a/b", "DELETE"), (authz.Target.ToString(), authz.Target.Method));
        Assert.Equal("https://app.example.com/a%2Fb", authz.OriginalUrl);
        Assert.Equal("https://auth.example.com", authz.PortalUrlOverride);
        Assert.Equal("missing X-Original-Method", Error(AuthzProfile.AuthRequest, Call(headers: [("X-Original-URL", "https://app.example.com/")])));
    }

    [Fact]
    public void Legacy_reads_x_original_url_with_the_forwarded_or_request_method()
    {
        var authz = Read(AuthzProfile.Legacy, Call(method: "PUT", headers: [("X-Original-URL", "https://app.example.com/x")]));
        Assert.Equal(("https://app.example.com/x", "PUT"), (authz.Target.ToString(), authz.Target.Method));
        Assert.Equal("https://app.example.com/x", authz.OriginalUrl);

        authz = Read(AuthzProfile.Legacy, Call(method: "PUT", headers: [("X-Original-URL", "https://app.example.com/x"), ("X-Forwarded-Method", "PATCH")]));
        Assert.Equal("PATCH", authz.Target.Method);
    }

    [Fact]
    public void Legacy_refuses_x_original_url_and_x_forwarded_naming_different_targets()
    {
        (string, string)[] original = [("X-Original-URL", "https://app.example.com/a%2Fb?x=1"), ("X-Forwarded-Method", "POST")];

        Read(AuthzProfile.Legacy, Call(headers: [.. original, .. Forwarded.Where(h => h.Item1 != "X-Forwarded-Method")]));
        var error = Error(AuthzProfile.Legacy, Call(headers: [.. original, ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "app.example.com"), ("X-Forwarded-Uri", "/admin")]));

        Assert.Contains("name different targets", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Legacy_without_x_original_url_falls_back_to_the_request_for_what_x_forwarded_leaves_out()
    {
        var authz = Read(AuthzProfile.Legacy, Call(method: "GET", path: "/api/verify", headers: [("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "app.example.com")]));

        Assert.Equal(("https://app.example.com/api/verify", "GET"), (authz.Target.ToString(), authz.Target.Method));
        Assert.Equal("https://app.example.com", authz.OriginalUrl);
    }

    [Theory]
    [InlineData("?rd=https%3A%2F%2Fauth.example.com%2Frd", "https://auth.example.com/header", "https://auth.example.com/rd")]
    [InlineData("", "https://auth.example.com/header", "https://auth.example.com/header")]
    [InlineData("?authelia_url=https%3A%2F%2Fauth.example.com", null, null)]
    public void Legacy_takes_the_portal_from_rd_then_x_authelia_url(string query, string? header, string? expected)
    {
        (string, string)[] headers = header is null ? [] : [("X-Authelia-URL", header)];
        var authz = Read(AuthzProfile.Legacy, Call(query: query, headers: [("X-Original-URL", "https://app.example.com/"), .. headers]));

        Assert.Equal(expected, authz.PortalUrlOverride);
    }

    [Theory]
    [InlineData("?auth=basic", true)]
    [InlineData("?auth=Basic", false)]
    [InlineData("?auth=basic&auth=basic", false)]
    [InlineData("", false)]
    public void Legacy_auth_basic_demands_the_authorization_header(string query, bool demanded) =>
        Assert.Equal(demanded, Read(AuthzProfile.Legacy, Call(query: query, headers: [("X-Original-URL", "https://app.example.com/")])).BasicDemanded);

    [Fact]
    public void Only_legacy_answers_undecidable_calls_with_401_any_method_and_no_cookie_portal()
    {
        Assert.Equal((400, false, true), (AuthzProfile.ForwardAuth.BadRequestStatus, AuthzProfile.ForwardAuth.AnswersAnyMethod, AuthzProfile.ForwardAuth.PortalUrlFromCookie));
        Assert.Equal((400, false, true), (AuthzProfile.AuthRequest.BadRequestStatus, AuthzProfile.AuthRequest.AnswersAnyMethod, AuthzProfile.AuthRequest.PortalUrlFromCookie));
        Assert.Equal((401, true, false), (AuthzProfile.Legacy.BadRequestStatus, AuthzProfile.Legacy.AnswersAnyMethod, AuthzProfile.Legacy.PortalUrlFromCookie));
    }

    public static TheoryData<string, string, string, string, int> UnauthorizedCases => new()
    {
        // profile, method, Accept, X-Requested-With → status
        { "ForwardAuth", "GET", "text/html", "", 302 },
        { "ForwardAuth", "HEAD", "*/*", "", 302 },
        { "ForwardAuth", "POST", "text/html", "", 303 },
        { "ForwardAuth", "GET", "application/json", "", 401 },
        { "ForwardAuth", "GET", "", "", 401 },
        { "ForwardAuth", "GET", "text/html", "XMLHttpRequest", 401 },
        { "Legacy", "GET", "text/html", "", 302 },
        { "Legacy", "DELETE", "text/html", "", 303 },
        { "Legacy", "GET", "application/json, */*", "", 401 },
        // nginx's auth_request passes on only 2xx, 401 and 403.
        { "AuthRequest", "GET", "text/html", "", 401 },
        { "AuthRequest", "POST", "text/html", "", 401 },
    };

    [Theory]
    [MemberData(nameof(UnauthorizedCases))]
    public void Log_in_first_is_a_redirect_for_browsers_and_a_401_otherwise_always_with_location(string profile, string method, string accept, string requestedWith, int status)
    {
        var reply = AuthzProfile.For(Enum.Parse<AuthzImplementation>(profile)).Unauthorized("https://auth.example.com/?rd=x&y", method, accept, requestedWith);

        Assert.Equal(status, reply.Status);
        Assert.Equal([new("Location", "https://auth.example.com/?rd=x&y")], reply.Headers);
        Assert.Equal("text/html; charset=utf-8", reply.ContentType);
        Assert.Equal($"<a href=\"https://auth.example.com/?rd=x&amp;y\">{status} {AuthzReply.ReasonPhrase(status)}</a>", reply.Body);
    }

    [Theory]
    [InlineData("ForwardAuth")]
    [InlineData("AuthRequest")]
    [InlineData("Legacy")]
    public void Without_a_portal_url_log_in_first_is_a_plain_401(string implementation)
    {
        var reply = AuthzProfile.For(Enum.Parse<AuthzImplementation>(implementation)).Unauthorized(null, "GET", "text/html", "");

        Assert.Equal((401, "401 Unauthorized"), (reply.Status, reply.Body));
        Assert.Empty(reply.Headers);
    }
}
