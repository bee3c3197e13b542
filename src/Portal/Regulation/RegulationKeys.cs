using System.Net;
using Portal.Users;

namespace Portal.Regulation;

/// <summary>
/// The one definition of the keys regulation buckets by (a username's is <see cref="Usernames.Key"/>). Applied by the regulator and again by the store, so that
/// no caller can split one person's budget into several buckets by spelling (CVE-2025-24806, CVE-2026-47203).
/// </summary>
internal static class RegulationKeys
{
    /// <summary>
    /// IPv4-mapped IPv6 as plain IPv4 and no zone index, so a dual-stack listener's <c>::ffff:192.0.2.1</c> and
    /// <c>192.0.2.1</c> are one bucket.
    /// </summary>
    public static string Ip(IPAddress ip)
    {
        ArgumentNullException.ThrowIfNull(ip);
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }
        return new IPAddress(ip.GetAddressBytes()).ToString();
    }

    /// <exception cref="ArgumentException">An IP subject whose value is not an IP address.</exception>
    public static string For(RegulationSubject subject, string value) => subject switch
    {
        RegulationSubject.User => Usernames.Key(value),
        RegulationSubject.Ip => IPAddress.TryParse((value ?? "").Trim(), out var ip)
            ? Ip(ip)
            : throw new ArgumentException($"'{value}' is not an IP address", nameof(value)),
        _ => throw new ArgumentOutOfRangeException(nameof(subject), subject, null),
    };
}
