using System.Net;
using Portal.AccessControl;

namespace Portal.Infrastructure;

/// <summary>
/// Which peers may speak for a client (<c>server.trusted_proxies</c>). Authelia believes <c>X-Forwarded-For</c> from
/// anyone, so a client can pick the address that <c>networks</c> rules see; Portal only reads forwarded headers from
/// trusted peers.
/// </summary>
internal sealed class TrustedProxies(IReadOnlyList<IPNetwork> networks)
{
    public static TrustedProxies From(IEnumerable<string> cidrs) =>
        new(cidrs.Select(c => AclNetwork.TryParse(c, out var n) ? n : throw new ArgumentException($"invalid network '{c}'", nameof(cidrs))).ToList());

    public bool IsTrusted(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }
        var a = AclNetwork.Normalize(address);
        foreach (var network in networks)
        {
            if (network.Contains(a))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The client's address: the TCP peer, unless the peer is trusted and sent <c>X-Forwarded-For</c>; then the
    /// right-most entry that is not itself a trusted proxy (entries further left were written by the client and can
    /// be anything). Unparseable entries stop the walk, so a garbage value can't push the choice leftwards.
    /// </summary>
    public IPAddress? ResolveClient(IPAddress? peer, IEnumerable<string> forwardedFor)
    {
        if (peer is null || !IsTrusted(peer))
        {
            return peer is null ? null : AclNetwork.Normalize(peer);
        }
        var hops = forwardedFor
            .SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        var client = AclNetwork.Normalize(peer);
        for (var i = hops.Count - 1; i >= 0; i--)
        {
            if (!TryParseHop(hops[i], out var hop))
            {
                break;
            }
            client = hop;
            if (!IsTrusted(hop))
            {
                break;
            }
        }
        return client;
    }

    private static bool TryParseHop(string text, out IPAddress address)
    {
        // Accept "1.2.3.4", "1.2.3.4:5678", "[::1]:5678" and "::1" as proxies write them.
        var t = text.Trim();
        if (t.StartsWith('[') && t.IndexOf(']', StringComparison.Ordinal) is var close and > 0)
        {
            t = t[1..close];
        }
        else if (t.Count(c => c == ':') == 1)
        {
            t = t[..t.IndexOf(':', StringComparison.Ordinal)];
        }
        var ok = IPAddress.TryParse(t, out var parsed);
        address = ok ? AclNetwork.Normalize(parsed!) : IPAddress.None;
        return ok;
    }
}
