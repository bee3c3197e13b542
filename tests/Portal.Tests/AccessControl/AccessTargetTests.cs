using Portal.AccessControl;

namespace Portal.Tests.AccessControl;

public sealed class AccessTargetTests
{
    private static AccessTarget Create(string url, string method = "GET")
    {
        Assert.True(AccessTarget.TryCreate(url, method, out var target, out var error), error);
        return target;
    }

    [Theory]
    [InlineData("https://example.com/a%2Fb", "/a/b")]
    [InlineData("https://example.com/a%252Fb", "/a%2Fb")]
    [InlineData("https://example.com/public/../admin", "/admin")]
    [InlineData("https://example.com/public/%2e%2e/admin", "/admin")]
    [InlineData("https://example.com/../../../admin", "/admin")]
    [InlineData("https://example.com/./admin/./", "/admin/")]
    [InlineData("https://example.com//admin//panel", "/admin/panel")]
    [InlineData("https://example.com/admin;jsessionid=123", "/admin")]
    [InlineData("https://example.com/public/..;/admin", "/admin")]
    [InlineData("https://example.com/admin;x/panel;y=1/", "/admin/panel/")]
    [InlineData("https://example.com/admin/", "/admin/")]
    [InlineData("https://example.com/admin", "/admin")]
    [InlineData("https://example.com", "/")]
    [InlineData("https://example.com?x=1", "/")]
    [InlineData("https://example.com/a/b/..", "/a")]
    [InlineData("https://example.com/a\\..\\admin", "/admin")]
    [InlineData("https://example.com/caf%C3%A9", "/café")]
    [InlineData("https://example.com/a%20b", "/a b")]
    public void Path_is_decoded_once_and_resolved_before_matching(string url, string expected) =>
        Assert.Equal(expected, Create(url).Path);

    [Theory]
    [InlineData("https://A.B.Example.COM./x", "a.b.example.com")]
    [InlineData("https://example.com:8443/x", "example.com")]
    [InlineData("https://[2001:DB8::1]:443/x", "2001:db8::1")]
    [InlineData("https://[::1]/x", "::1")]
    [InlineData("https://10.0.0.1:80/", "10.0.0.1")]
    [InlineData("https://Bücher.Example.com/", "xn--bcher-kva.example.com")]
    public void Host_is_lower_cased_without_port_or_trailing_dot(string url, string expected) =>
        Assert.Equal(expected, Create(url).Host);

    [Fact]
    public void Port_is_kept_apart_from_the_host()
    {
        var target = Create("https://example.com:8443/x");
        Assert.Equal(8443, target.Port);
        Assert.Equal("https://example.com:8443/x", target.ToString());
    }

    [Fact]
    public void Fragment_is_dropped_and_query_kept_raw()
    {
        var target = Create("https://example.com/private?x=%2Fpublic&y#/public");
        Assert.Equal("/private", target.Path);
        Assert.Equal("x=%2Fpublic&y", target.Query);
        Assert.Equal("/private?x=%2Fpublic&y", target.PathAndQuery);
    }

    [Fact]
    public void Empty_query_adds_no_question_mark_to_the_resource_string() =>
        Assert.Equal("/a", Create("https://example.com/a?").PathAndQuery);

    [Fact]
    public void Scheme_is_lower_cased() => Assert.Equal("https", Create("HTTPS://example.com/").Scheme);

    [Theory]
    [InlineData("")]
    [InlineData("/relative/path")]
    [InlineData("example.com/x")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https:///nohost")]
    [InlineData("https://exa mple.com/")]
    [InlineData("https://example.com/a b")]
    [InlineData("https://example.com/\t/evil")]
    [InlineData("https://example.com/a\nb")]
    [InlineData("https://example.com/%zz")]
    [InlineData("https://example.com/%2")]
    [InlineData("https://example.com/%00")]
    [InlineData("https://example.com/%0a")]
    [InlineData("https://example.com/%ff")]
    [InlineData("https://user:pass@example.com/")]
    [InlineData("https://example.com@evil.com/")]
    [InlineData("https://exa_mple!.com/")]
    [InlineData("https://example..com/")]
    [InlineData("https://example.com:99999/")]
    [InlineData("https://example.com:8a/")]
    [InlineData("https://::1/")]
    [InlineData("https://[::1/")]
    [InlineData("https://[fe80::1%25eth0]/")]
    [InlineData("https://[::1]x/")]
    [InlineData("https://%65xample.com/")]
    public void Malformed_urls_are_rejected_with_a_reason(string url)
    {
        Assert.False(AccessTarget.TryCreate(url, "GET", out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Theory]
    [InlineData("https://xn--zz.example.com/")]
    [InlineData("https://xn--.example.com/")]
    [InlineData("https://xn--a.xn--zz/")]
    [InlineData("https://XN--ZZ.example.com/")]
    [InlineData("https://a.xn--zz.example.com:443/")]
    [InlineData("https://xn--abc-.example.com/")]
    [InlineData("https://xn--a.example.com/")]
    public void Host_with_a_label_that_is_not_valid_punycode_is_rejected(string url)
    {
        Assert.False(AccessTarget.TryCreate(url, "GET", out _, out var error));
        Assert.Equal("host is not a valid internationalised domain name", error);
    }

    [Theory]
    [InlineData("https://xn--bcher-kva.example.com/", "xn--bcher-kva.example.com")]
    [InlineData("https://XN--BCHER-KVA.example.com/", "xn--bcher-kva.example.com")]
    [InlineData("https://xn--ls8h.example.com/", "xn--ls8h.example.com")]
    public void Host_in_valid_punycode_is_accepted(string url, string expected) =>
        Assert.Equal(expected, Create(url).Host);

    [Theory]
    [InlineData("get")]
    [InlineData("")]
    [InlineData("GET ")]
    [InlineData("G-ET")]
    [InlineData("GËT")]
    public void Method_must_be_upper_case_letters(string method) =>
        Assert.False(AccessTarget.TryCreate("https://example.com/", method, out _, out _));

    [Fact]
    public void Forwarded_parts_build_the_same_target_as_the_url()
    {
        Assert.True(AccessTarget.TryCreate("https", "App.Example.com:443", "/a/../b;x?q=1", "POST", out var fromParts, out var error), error);
        Assert.Equal(Create("https://app.example.com:443/b?q=1", "POST"), fromParts);
    }

    [Fact]
    public void A_hash_is_cut_from_a_link_but_refused_in_a_request_target()
    {
        Assert.Equal("/a", Create("https://app.example.com/a#/../b").Path);
        Assert.False(AccessTarget.TryCreate("https", "app.example.com", "/a#/../b", "GET", out _, out var partsError));
        Assert.Contains("'#'", partsError, StringComparison.Ordinal);
        Assert.False(AccessTarget.TryCreateRequested("https://app.example.com/a#/../b", "GET", out _, out var urlError));
        Assert.Contains("'#'", urlError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/public/x")]
    [InlineData("/a/b/")]
    [InlineData("/caf%C3%A9")]
    [InlineData("/a-b_c.d~e")]
    public void An_ordinary_path_has_one_reading(string path)
    {
        var target = Create("https://app.example.com" + path);
        Assert.False(target.IsAmbiguous);
        Assert.Same(target, Assert.Single(target.Readings));
    }

    [Theory]
    // canonical (Authelia), then what RFC 3986 alone, servlet ';' stripping, decoded separators and no normalisation make of it
    [InlineData("/secret/..;/public", "/public", "/secret/..;/public")]
    [InlineData("/secret/.;/../public", "/public", "/secret/public|/secret/.;/../public")]
    [InlineData("/secret/..%2Fpublic", "/public", "/secret/../public")]
    [InlineData("/secret/..%5cpublic", "/public", "/secret/..\\public")]
    [InlineData("/secret\\..\\public", "/public", "/secret\\..\\public")]
    [InlineData("/secret//../public", "/public", "/secret/public|/secret//../public")]
    [InlineData("/public/../secret", "/secret", "/public/../secret")]
    [InlineData("/secret/%2e%2e/public", "/public", "/secret/../public")]
    [InlineData("/public%2F..%2Fsecret", "/secret", "/public/../secret")]
    [InlineData("/admin;jsessionid=1", "/admin", "/admin;jsessionid=1")]
    [InlineData("//admin", "/admin", "//admin")]
    public void A_path_that_backends_read_differently_carries_every_reading(string path, string canonical, string others)
    {
        var target = Create("https://app.example.com" + path);
        Assert.Equal(canonical, target.Path);
        Assert.Equal(others, string.Join('|', target.Readings.Skip(1).Select(r => r.Path)));
        Assert.All(target.Readings, r => Assert.Equal(("app.example.com", "GET"), (r.Host, r.Method)));
    }

    [Fact]
    public void Forwarded_uri_may_be_empty() =>
        Assert.True(AccessTarget.TryCreate("https", "example.com", "", "GET", out var t, out _) && t.Path == "/");

    [Theory]
    [InlineData("https", "example.com", "admin")]
    [InlineData("https", "example.com/evil", "/")]
    [InlineData("https", "evil.com?.example.com", "/")]
    [InlineData("https", "", "/")]
    [InlineData("", "example.com", "/")]
    [InlineData("ht tp", "example.com", "/")]
    [InlineData("https", "example.com", "/a\r\nX-Injected: 1")]
    public void Forwarded_parts_that_smuggle_or_omit_pieces_are_rejected(string scheme, string host, string uri) =>
        Assert.False(AccessTarget.TryCreate(scheme, host, uri, "GET", out _, out _));

    [Fact]
    public void Query_values_follow_go_semantics_first_value_and_plus_as_space()
    {
        var values = Create("https://example.com/?a=1&a=2&b=x+y%21&c&bad=%zz&d;e=1").QueryFirstValues;
        Assert.Equal("1", values["a"]);
        Assert.Equal("x y!", values["b"]);
        Assert.Equal("", values["c"]);
        Assert.False(values.ContainsKey("bad"));
        Assert.False(values.ContainsKey("d;e"));
    }
}
