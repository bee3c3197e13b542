using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Portal.AccessControl;

/// <summary>
/// The one parser of IPs and CIDRs in the configuration — <c>access_control</c> networks, <c>definitions.network</c>,
/// <c>server.trusted_proxies</c> and <c>gateway.trusted_proxies</c> — used by the validators and at run time alike, so
/// nothing the validator accepts can fail when the portal starts.
/// </summary>
internal static class AclNetwork
{
    /// <summary>An IP (a single-host network) or a CIDR; host bits are masked off as Go's ParseCIDR does.</summary>
    public static bool TryParse(string text, out IPNetwork network)
    {
        network = default;
        text = text.Trim();
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        // IPAddress.TryParse also takes "10", "10.1", "[::1]" and zone ids; none of those belong in an ACL.
        if (addressText.Length == 0 || addressText.AsSpan().IndexOfAny('[', '%', ']') >= 0
            || !IPAddress.TryParse(addressText, out var address))
        {
            return false;
        }
        if (address.AddressFamily == AddressFamily.InterNetwork
            && (addressText.Split('.').Length != 4 || !addressText.All(c => char.IsAsciiDigit(c) || c == '.')))
        {
            return false;
        }
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = bits;
        if (slash >= 0)
        {
            var prefixText = text[(slash + 1)..];
            if (prefixText.Length is 0 or > 3 || !prefixText.All(char.IsAsciiDigit)
                || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > bits)
            {
                return false;
            }
        }
        if (address.IsIPv4MappedToIPv6)
        {
            if (prefix < 96)
            {
                return false;
            }
            address = address.MapToIPv4();
            prefix -= 96;
        }
        network = new IPNetwork(Mask(address, prefix), prefix);
        return true;
    }

    /// <summary>A client seen through a dual-stack socket as <c>::ffff:10.0.0.1</c> is the IPv4 client 10.0.0.1.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        return new IPAddress(bytes);
    }
}
