using Portal.FirstFactor;

namespace Portal.Tests.FirstFactor;

/// <summary>The open-redirect table of peers-and-security §4b.1, allowed domain example.com.</summary>
public sealed class SafeRedirectTests
{
    private static readonly SafeRedirect Check = new(["example.com"], [8443]);

    [Theory]
    [InlineData("https://example.com/")]
    [InlineData("https://app.example.com/path?x=1#frag")]
    [InlineData("https://deep.app.example.com/")]
    [InlineData("HTTPS://APP.EXAMPLE.COM/")]
    [InlineData("wss://app.example.com/socket")]
    [InlineData("https://app.example.com:443/")]
    [InlineData("https://app.example.com:8443/")]
    public void Targets_under_the_cookie_domain_are_safe(string url) => Assert.True(Check.IsSafe(url));

    [Theory]
    [InlineData("//evil.com")]
    [InlineData("/\\evil.com")]
    [InlineData("/ /evil.com")]
    [InlineData("/\t/evil.com")]
    [InlineData("/\v\\evil.com")]
    [InlineData("/\r/evil.com")]
    [InlineData("/\n\\evil.com")]
    [InlineData("/./\\evil.com")]
    [InlineData("/./../../\\evil.com")]
    [InlineData("https://example.com@evil.com/")]
    [InlineData("https://user:pass@app.example.com/")]
    [InlineData("https://evil.com/?rd=example.com")]
    [InlineData("https://example.com.evil.com/")]
    [InlineData("https://evilexample.com/")]
    [InlineData("http://app.example.com/")]
    [InlineData("https://example.com:3838/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("example.com/x")]
    [InlineData("https://exаmple.com/")]
    [InlineData("https://xn--exmple-cua.com/")]
    [InlineData("https://example.com./")]
    [InlineData("https://app.example.com\\@evil.com/")]
    [InlineData("https://app.example.com%2f@evil.com/")]
    [InlineData("https:/\\evil.com")]
    [InlineData("https:evil.com")]
    [InlineData(" https://app.example.com/")]
    [InlineData("https://app.example.com/\u0000")]
    [InlineData("")]
    [InlineData(null)]
    public void Open_redirect_spellings_are_refused(string? url) => Assert.False(Check.IsSafe(url));
}
