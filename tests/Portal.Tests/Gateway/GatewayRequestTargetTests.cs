using Portal.Gateway;

namespace Portal.Tests.Gateway;

/// <summary>The gateway's refusal of request targets that could be read in more than one way.</summary>
public sealed class GatewayRequestTargetTests
{
    [Theory]
    [InlineData("/x#/../two-factor", "'#'")]
    [InlineData("/public#", "'#'")]
    [InlineData("/secret/.;/../public", "';' in a dot segment")]
    [InlineData("/secret/..;/public", "';' in a dot segment")]
    [InlineData("/secret/..;x=1/public", "';' in a dot segment")]
    [InlineData("/secret/..%2Fpublic", "encoded '/'")]
    [InlineData("/secret%2f..%2fpublic", "encoded '/'")]
    [InlineData("/secret/..%5Cpublic", "encoded '/'")]
    [InlineData("/secret\\..\\public", "'\\'")]
    [InlineData("/secret/%2e%2e/public", "encoded dot segment")]
    [InlineData("/secret/.%2E/public", "encoded dot segment")]
    [InlineData("/secret/%2e/public", "encoded dot segment")]
    [InlineData("/secret//../public", "empty segment before '..'")]
    [InlineData("/secret/%00/x", "control character")]
    [InlineData("/secret/%0a", "control character")]
    [InlineData("/secret/%c0%ae%c0%ae/public", "invalid percent-encoding or UTF-8")]
    [InlineData("/secret/%zz", "invalid percent-encoding or UTF-8")]
    [InlineData("/secret/%4", "invalid percent-encoding or UTF-8")]
    [InlineData("*", "not an origin-form request target")]
    [InlineData("http://app.example.com/secret", "not an origin-form request target")]
    public void An_ambiguous_request_target_is_refused_with_its_reason(string raw, string reason) =>
        Assert.Contains(reason, GatewayRequestTarget.Ambiguity(raw), StringComparison.Ordinal);

    [Theory]
    [InlineData("/")]
    [InlineData("/public/x?next=/secret/../x")]
    [InlineData("/a/../b")]
    [InlineData("/a/./b")]
    [InlineData("/caf%C3%A9/%41")]
    [InlineData("/admin;jsessionid=1")]
    [InlineData("/a//b")]
    [InlineData("/...")]
    [InlineData("/..foo/.bar")]
    public void A_target_with_one_reading_passes(string raw) =>
        Assert.Null(GatewayRequestTarget.Ambiguity(raw));
}
