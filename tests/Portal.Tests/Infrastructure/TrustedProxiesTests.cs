using System.Net;
using Portal.Infrastructure;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// <c>server.trusted_proxies</c> on its own, without HTTP: which peers may speak for a client, and which address of an
/// <c>X-Forwarded-For</c> chain is the client's.
/// </summary>
public sealed class TrustedProxiesTests
{
    /// <summary>A proxy on the LAN, another on loopback, and an IPv6 range.</summary>
    private static readonly TrustedProxies Proxies = TrustedProxies.From(["10.0.0.0/8", "127.0.0.1/32", "2001:db8:1::/48"]);

    private static IPAddress? Resolve(string? peer, params string[] forwardedFor) =>
        Proxies.ResolveClient(peer is null ? null : IPAddress.Parse(peer), forwardedFor);

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("::ffff:10.1.2.3", true)]
    [InlineData("2001:db8:1:ff::1", true)]
    [InlineData("11.0.0.1", false)]
    [InlineData("127.0.0.2", false)]
    [InlineData("::1", false)]
    [InlineData("2001:db8:2::1", false)]
    public void A_peer_is_trusted_exactly_when_a_listed_network_holds_it(string address, bool trusted) =>
        Assert.Equal(trusted, Proxies.IsTrusted(IPAddress.Parse(address)));

    [Fact]
    public void A_missing_peer_address_is_not_trusted_and_resolves_to_no_client()
    {
        Assert.False(Proxies.IsTrusted(null));
        Assert.Null(Resolve(null, "203.0.113.9"));
    }

    [Fact]
    public void Nothing_is_trusted_when_no_network_is_listed()
    {
        var none = TrustedProxies.From([]);
        Assert.False(none.IsTrusted(IPAddress.Loopback));
        Assert.Equal(IPAddress.Loopback, none.ResolveClient(IPAddress.Loopback, ["203.0.113.9"]));
    }

    [Fact]
    public void An_invalid_network_is_refused_when_the_list_is_built() =>
        Assert.Throws<ArgumentException>(() => TrustedProxies.From(["10.0.0.0/33"]));

    [Fact]
    public void An_untrusted_peer_is_the_client_whatever_x_forwarded_for_says()
    {
        Assert.Equal(IPAddress.Parse("198.51.100.7"), Resolve("198.51.100.7", "10.9.9.9"));
        Assert.Equal(IPAddress.Parse("198.51.100.7"), Resolve("198.51.100.7", "203.0.113.9, 10.0.0.1"));
    }

    [Fact]
    public void A_trusted_peer_without_x_forwarded_for_is_the_client_itself()
    {
        Assert.Equal(IPAddress.Parse("10.0.0.1"), Resolve("10.0.0.1"));
        Assert.Equal(IPAddress.Parse("10.0.0.1"), Resolve("10.0.0.1", ""));
        Assert.Equal(IPAddress.Parse("10.0.0.1"), Resolve("10.0.0.1", " , "));
    }

    [Fact]
    public void Behind_a_trusted_peer_the_right_most_hop_that_is_not_a_trusted_proxy_is_the_client()
    {
        // The client wrote 1.1.1.1 itself; 203.0.113.9 is what the first trusted proxy saw.
        Assert.Equal(IPAddress.Parse("203.0.113.9"), Resolve("10.0.0.1", "1.1.1.1, 203.0.113.9, 10.0.0.2"));
        Assert.Equal(IPAddress.Parse("203.0.113.9"), Resolve("10.0.0.1", "1.1.1.1, 203.0.113.9"));
    }

    [Fact]
    public void Repeated_x_forwarded_for_headers_read_as_one_chain_in_order()
    {
        Assert.Equal(IPAddress.Parse("203.0.113.9"), Resolve("10.0.0.1", "1.1.1.1", "203.0.113.9", "10.0.0.2"));
        Assert.Equal(IPAddress.Parse("1.1.1.1"), Resolve("10.0.0.1", "203.0.113.9", "1.1.1.1"));
    }

    [Fact]
    public void When_every_hop_is_a_trusted_proxy_the_left_most_one_is_the_client() =>
        Assert.Equal(IPAddress.Parse("10.0.0.3"), Resolve("127.0.0.1", "10.0.0.3, 10.0.0.2"));

    [Theory]
    [InlineData("203.0.113.9, not-an-address", "10.0.0.1")]
    [InlineData("203.0.113.9, 300.1.1.1", "10.0.0.1")]
    [InlineData("203.0.113.9, _hidden", "10.0.0.1")]
    [InlineData("203.0.113.9, unknown, 10.0.0.2", "10.0.0.2")]
    [InlineData("unknown, 203.0.113.9, 10.0.0.2", "203.0.113.9")]
    public void An_unreadable_hop_stops_the_walk_at_the_trusted_hop_to_its_right(string chain, string client) =>
        // Without the stop, garbage would let the walk go on leftwards to an address the client wrote itself.
        Assert.Equal(IPAddress.Parse(client), Resolve("10.0.0.1", chain));

    [Fact]
    public void Ipv4_mapped_ipv6_addresses_are_read_as_ipv4_for_peers_and_hops()
    {
        Assert.Equal(IPAddress.Parse("203.0.113.9"), Resolve("::ffff:10.0.0.1", "::ffff:203.0.113.9"));
        // The mapped peer is trusted as its IPv4 self, and a mapped hop is recognised as a trusted proxy.
        Assert.Equal(IPAddress.Parse("203.0.113.9"), Resolve("10.0.0.1", "203.0.113.9, ::ffff:10.0.0.2"));
        Assert.Equal(IPAddress.Parse("198.51.100.7"), Resolve("::ffff:198.51.100.7", "203.0.113.9"));
    }

    [Theory]
    [InlineData("203.0.113.9:51234", "203.0.113.9")]
    [InlineData("[2001:db8:9::5]:51234", "2001:db8:9::5")]
    [InlineData("[2001:db8:9::5]", "2001:db8:9::5")]
    [InlineData("2001:db8:9::5", "2001:db8:9::5")]
    [InlineData("  203.0.113.9  ", "203.0.113.9")]
    public void A_hop_may_carry_a_port_brackets_or_spaces(string hop, string client) =>
        Assert.Equal(IPAddress.Parse(client), Resolve("10.0.0.1", hop));

    [Fact]
    public void A_trusted_ipv6_proxy_with_a_port_is_walked_past()
    {
        Assert.Equal(IPAddress.Parse("203.0.113.9"), Resolve("10.0.0.1", "203.0.113.9, [2001:db8:1::7]:443"));
        Assert.Equal(IPAddress.Parse("203.0.113.9"), Resolve("2001:db8:1::1", "203.0.113.9:1234, 10.0.0.2:80"));
    }
}
