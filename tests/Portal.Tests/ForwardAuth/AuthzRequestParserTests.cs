using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Portal.AccessControl;
using Portal.ForwardAuth;

namespace Portal.Tests.ForwardAuth;

/// <summary>
/// Each proxy shape's headers read into the target the rules decide on, without HTTP: what each implementation
/// reads, where the legacy endpoint falls back to the request itself, and the headers that are refused.
/// </summary>
public sealed class AuthzRequestParserTests
{
    /// <summary>What the portal's own request line says when a header is missing (the legacy endpoint falls back to it).</summary>
    private const string RequestMethod = "POST";
    private const string RequestPath = "/api/verify?rd=x";
    private const string RequestHost = "portal.internal:9091";

    private static HeaderDictionary Headers(params (string Name, string Value)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var group in headers.GroupBy(h => h.Name, StringComparer.OrdinalIgnoreCase))
        {
            dictionary[group.Key] = new StringValues([.. group.Select(h => h.Value)]);
        }
        return dictionary;
    }

    private static readonly (string, string)[] Forwarded =
    [
        ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "app.example.com"), ("X-Forwarded-Uri", "/notes?id=7"), ("X-Forwarded-Method", "GET"),
    ];

    private static AccessTarget Parsed(AuthzImplementation implementation, params (string, string)[] headers)
    {
        Assert.True(AuthzRequestParser.TryParse(implementation, Headers(headers), RequestMethod, RequestPath, RequestHost, out var target, out var error), error);
        return target;
    }

    private static string Refused(AuthzImplementation implementation, params (string, string)[] headers)
    {
        Assert.False(AuthzRequestParser.TryParse(implementation, Headers(headers), RequestMethod, RequestPath, RequestHost, out _, out var error));
        Assert.NotEmpty(error);
        return error;
    }

    // ---- ForwardAuth (Traefik, Caddy) ----

    [Fact]
    public void Forward_auth_reads_the_four_x_forwarded_headers()
    {
        var target = Parsed(AuthzImplementation.ForwardAuth, Forwarded);
        Assert.Equal("https://app.example.com/notes?id=7", target.ToString());
        Assert.Equal("GET", target.Method);
    }

    [Fact]
    public void Forward_auth_without_a_forwarded_method_is_refused_rather_than_judged_as_the_portal_s_own_request() =>
        Assert.Equal("missing X-Forwarded-Method", Refused(AuthzImplementation.ForwardAuth, [.. Forwarded.Where(h => h.Item1 != "X-Forwarded-Method")]));

    [Fact]
    public void Forward_auth_without_a_forwarded_host_is_refused_rather_than_judged_on_the_portal_s_host() =>
        Assert.Equal("missing X-Forwarded-Host", Refused(AuthzImplementation.ForwardAuth, [.. Forwarded.Where(h => h.Item1 != "X-Forwarded-Host")]));

    [Fact]
    public void Forward_auth_without_a_forwarded_uri_asks_about_the_root_path()
    {
        var target = Parsed(AuthzImplementation.ForwardAuth, [.. Forwarded.Where(h => h.Item1 != "X-Forwarded-Uri")]);
        Assert.Equal("https://app.example.com/", target.ToString());
    }

    [Fact]
    public void Forward_auth_without_a_forwarded_proto_asks_about_plain_http()
    {
        var target = Parsed(AuthzImplementation.ForwardAuth, [.. Forwarded.Where(h => h.Item1 != "X-Forwarded-Proto")]);
        Assert.Equal("http", target.Scheme);
    }

    [Theory]
    [InlineData("X-Forwarded-Proto", "http")]
    [InlineData("X-Forwarded-Host", "admin.example.com")]
    [InlineData("X-Forwarded-Uri", "/admin")]
    [InlineData("X-Forwarded-Method", "DELETE")]
    public void Forward_auth_refuses_a_header_sent_twice_even_with_the_same_value(string name, string other)
    {
        var first = Forwarded.Single(h => h.Item1 == name).Item2;
        Assert.Equal($"{name} was sent more than once", Refused(AuthzImplementation.ForwardAuth, [.. Forwarded, (name, other)]));
        Assert.Equal($"{name} was sent more than once", Refused(AuthzImplementation.ForwardAuth, [.. Forwarded, (name, first)]));
    }

    [Fact]
    public void Forward_auth_ignores_x_original_url()
    {
        var target = Parsed(AuthzImplementation.ForwardAuth, [.. Forwarded, ("X-Original-URL", "https://admin.example.com/")]);
        Assert.Equal("app.example.com", target.Host);
    }

    // ---- AuthRequest (nginx auth_request) ----

    [Fact]
    public void Auth_request_reads_x_original_url_and_x_original_method()
    {
        var target = Parsed(AuthzImplementation.AuthRequest, ("X-Original-URL", "https://app.example.com:8443/notes?id=7"), ("X-Original-Method", "PUT"));
        Assert.Equal("https://app.example.com:8443/notes?id=7", target.ToString());
        Assert.Equal("PUT", target.Method);
    }

    [Fact]
    public void Auth_request_ignores_the_x_forwarded_headers()
    {
        var target = Parsed(AuthzImplementation.AuthRequest, [.. Forwarded, ("X-Original-URL", "https://secure.example.com/"), ("X-Original-Method", "GET")]);
        Assert.Equal("https://secure.example.com/", target.ToString());
    }

    [Fact]
    public void Auth_request_without_x_original_method_is_refused_with_no_fallback_to_x_forwarded_method() =>
        Assert.Equal("missing X-Original-Method",
            Refused(AuthzImplementation.AuthRequest, ("X-Original-URL", "https://app.example.com/"), ("X-Forwarded-Method", "GET")));

    [Fact]
    public void Auth_request_without_x_original_url_is_refused_with_no_fallback_to_x_forwarded_headers() =>
        Assert.Equal("missing X-Original-URL", Refused(AuthzImplementation.AuthRequest, [.. Forwarded, ("X-Original-Method", "GET")]));

    [Fact]
    public void Auth_request_treats_an_empty_header_as_missing() =>
        Assert.Equal("missing X-Original-URL", Refused(AuthzImplementation.AuthRequest, ("X-Original-URL", ""), ("X-Original-Method", "GET")));

    [Theory]
    [InlineData("X-Original-URL", "https://admin.example.com/")]
    [InlineData("X-Original-Method", "DELETE")]
    public void Auth_request_refuses_a_header_sent_twice(string name, string other) =>
        Assert.Equal($"{name} was sent more than once",
            Refused(AuthzImplementation.AuthRequest, ("X-Original-URL", "https://app.example.com/"), ("X-Original-Method", "GET"), (name, other)));

    [Fact]
    public void Auth_request_refuses_a_url_that_is_not_absolute() =>
        Assert.Equal("URL must be absolute (scheme://host/path)", Refused(AuthzImplementation.AuthRequest, ("X-Original-URL", "/notes"), ("X-Original-Method", "GET")));

    // ---- Legacy (/api/verify): either shape, with fallbacks to the request itself ----

    [Fact]
    public void Legacy_with_x_original_url_takes_the_method_from_x_forwarded_method()
    {
        var target = Parsed(AuthzImplementation.Legacy, ("X-Original-URL", "https://app.example.com/notes"), ("X-Forwarded-Method", "DELETE"));
        Assert.Equal("https://app.example.com/notes", target.ToString());
        Assert.Equal("DELETE", target.Method);
    }

    [Fact]
    public void Legacy_with_x_original_url_and_no_forwarded_method_falls_back_to_the_request_method() =>
        Assert.Equal(RequestMethod, Parsed(AuthzImplementation.Legacy, ("X-Original-URL", "https://app.example.com/")).Method);

    [Fact]
    public void Legacy_without_x_original_url_reads_the_x_forwarded_headers() =>
        Assert.Equal("https://app.example.com/notes?id=7", Parsed(AuthzImplementation.Legacy, Forwarded).ToString());

    [Fact]
    public void Legacy_without_forwarded_host_uri_or_method_falls_back_to_the_request_s_own()
    {
        var target = Parsed(AuthzImplementation.Legacy, ("X-Forwarded-Proto", "https"));
        Assert.Equal($"https://{RequestHost}{RequestPath}", target.ToString());
        Assert.Equal(RequestMethod, target.Method);
    }

    [Fact]
    public void Legacy_without_any_method_at_all_is_refused()
    {
        Assert.False(AuthzRequestParser.TryParse(AuthzImplementation.Legacy, Headers(("X-Forwarded-Host", "app.example.com")), requestMethod: "", RequestPath, RequestHost,
            out _, out var error));
        Assert.Equal("missing method", error);
    }

    [Fact]
    public void Legacy_accepts_x_original_url_and_x_forwarded_headers_that_name_the_same_target() =>
        Assert.Equal("https://app.example.com/notes?id=7",
            Parsed(AuthzImplementation.Legacy, [.. Forwarded, ("X-Original-URL", "https://app.example.com/notes?id=7")]).ToString());

    [Theory]
    [InlineData("https://admin.example.com/notes?id=7")]
    [InlineData("https://app.example.com/admin")]
    [InlineData("http://app.example.com/notes?id=7")]
    public void Legacy_refuses_x_original_url_and_x_forwarded_headers_that_name_different_targets(string originalUrl) =>
        Assert.Contains("name different targets", Refused(AuthzImplementation.Legacy, [.. Forwarded, ("X-Original-URL", originalUrl)]), StringComparison.Ordinal);

    [Fact]
    public void Legacy_refuses_equal_targets_that_an_app_could_read_differently()
    {
        // Both name https://app.example.com/admin, but a backend that does not resolve %2e%2e reads the forwarded one
        // as another path: one reading each is not the same as the same readings.
        var forwarded = new[] { ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "app.example.com"), ("X-Forwarded-Uri", "/notes/%2e%2e/admin"), ("X-Forwarded-Method", "GET") };
        Assert.Equal("https://app.example.com/admin", Parsed(AuthzImplementation.ForwardAuth, forwarded).ToString());

        Assert.Contains("name different targets", Refused(AuthzImplementation.Legacy, [.. forwarded, ("X-Original-URL", "https://app.example.com/admin")]), StringComparison.Ordinal);
    }

    [Fact]
    public void Legacy_with_only_part_of_the_x_forwarded_target_has_nothing_to_compare_and_believes_x_original_url()
    {
        var target = Parsed(AuthzImplementation.Legacy, ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "admin.example.com"), ("X-Original-URL", "https://app.example.com/"));
        Assert.Equal("https://app.example.com/", target.ToString());
    }

    [Fact]
    public void Legacy_refuses_x_original_url_beside_an_unusable_x_forwarded_target() =>
        Assert.StartsWith("X-Original-URL is set but the X-Forwarded-* target is unusable",
            Refused(AuthzImplementation.Legacy, ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "app example com"), ("X-Forwarded-Uri", "/"),
                ("X-Original-URL", "https://app.example.com/")), StringComparison.Ordinal);

    [Theory]
    [InlineData("X-Original-URL")]
    [InlineData("X-Forwarded-Method")]
    public void Legacy_refuses_a_header_sent_twice_in_the_x_original_url_shape(string name) =>
        Assert.Equal($"{name} was sent more than once",
            Refused(AuthzImplementation.Legacy, ("X-Original-URL", "https://app.example.com/"), ("X-Forwarded-Method", "GET"), (name, name == "X-Original-URL" ? "https://admin.example.com/" : "POST")));

    [Fact]
    public void Legacy_refuses_a_header_sent_twice_in_the_x_forwarded_shape() =>
        Assert.Equal("X-Forwarded-Host was sent more than once", Refused(AuthzImplementation.Legacy, [.. Forwarded, ("X-Forwarded-Host", "admin.example.com")]));

    [Fact]
    public void An_unknown_implementation_is_refused() =>
        Assert.Equal("unknown implementation", Refused((AuthzImplementation)99, Forwarded));
}
