using Portal.AccessControl;
using Portal.Tests.Support;

namespace Portal.Tests.Configuration;

/// <summary>
/// One parser for every IP/CIDR option: what validation accepts, the portal runs (once, <c>'10.1'</c> passed
/// <c>validate-config</c> and then crashed <c>serve</c>, because the two used different parsers).
/// </summary>
public sealed class NetworkOptionTests
{
    [Theory]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("192.168.1.7", true)]
    [InlineData("::1", true)]
    [InlineData("fd00::/8", true)]
    [InlineData("::ffff:10.0.0.0/104", true)]
    [InlineData(" 10.0.0.1 ", true)]
    [InlineData("10.1", false)]
    [InlineData("10", false)]
    [InlineData("[::1]", false)]
    [InlineData("fe80::1%eth0", false)]
    [InlineData("10.0.0.0/33", false)]
    [InlineData("10.0.0.0/", false)]
    [InlineData("0x7f.0.0.1", false)]
    [InlineData("::ffff:10.0.0.0/64", false)]
    public async Task A_network_the_validator_accepts_starts_the_portal_and_one_it_refuses_is_reported_with_its_path(string network, bool valid)
    {
        Assert.Equal(valid, AclNetwork.TryParse(network, out _));
        var yaml = $"""
            server:
              trusted_proxies: ['{network}']
            definitions:
              network:
                lan: ['{network}']
            """;
        const string acl = """
            access_control:
              default_policy: deny
              rules:
                - domain: 'app.example.com'
                  networks: ['lan']
                  policy: bypass
            """;
        if (valid)
        {
            await using var host = await PortalTestHost.StartAsync(yaml, accessControl: acl);
            using var health = await host.Client.GetAsync("/api/health");
            Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
            return;
        }
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PortalTestHost.StartAsync(yaml, accessControl: acl));
        Assert.Contains("server: trusted_proxies[0]:", error.Message, StringComparison.Ordinal);
        Assert.Contains("lan", error.Message, StringComparison.Ordinal);
    }
}
