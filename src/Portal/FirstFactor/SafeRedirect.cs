using System.Globalization;

namespace Portal.FirstFactor;

/// <summary>
/// Decides whether the portal may send a browser to a URL after login or logout (<c>rd</c>, <c>targetURL</c>).
/// Authelia's rule — https or wss, host under a configured cookie domain — applied to a strictly parsed URL, so the
/// classic open-redirect spellings (<c>//evil.com</c>, <c>/\evil.com</c>, <c>https://example.com@evil.com</c>,
/// encoded whitespace, trailing dots, lookalike hosts) are refused rather than interpreted. With
/// <paramref name="allowLoopbackHttp"/> (<see cref="Infrastructure.LoopbackHttp.Permitted"/>, the localhost demo), http
/// and ws URLs are accepted too, but only on loopback names.
/// </summary>
internal sealed class SafeRedirect(IReadOnlyList<string> cookieDomains, IReadOnlyCollection<int> allowedPorts, bool allowLoopbackHttp = false)
{
    /// <summary>True when <paramref name="url"/> may be used as a redirect target.</summary>
    public bool IsSafe(string? url) => TryGetSafeUri(url, out _);

    public bool TryGetSafeUri(string? url, out Uri uri)
    {
        uri = null!;
        if (string.IsNullOrEmpty(url) || url.Length > 8192)
        {
            return false;
        }
        // Browsers strip or reinterpret these; a safe URL never needs them.
        foreach (var c in url)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\' || c > 0x7E)
            {
                return false;
            }
        }
        var plain = url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("ws://", StringComparison.OrdinalIgnoreCase);
        if (!(url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("wss://", StringComparison.OrdinalIgnoreCase) || (plain && allowLoopbackHttp)))
        {
            return false;
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.UserInfo.Length > 0 || url.Contains('@', StringComparison.Ordinal) && AuthorityOf(url).Contains('@', StringComparison.Ordinal))
        {
            return false;
        }
        var host = parsed.IdnHost;
        if (host.Length == 0 || host.EndsWith('.') || parsed.HostNameType is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6))
        {
            return false;
        }
        if (plain && !Infrastructure.LoopbackHttp.IsLoopbackName(host))
        {
            return false;
        }
        if (!parsed.IsDefaultPort && !allowedPorts.Contains(parsed.Port))
        {
            return false;
        }
        foreach (var domain in cookieDomains)
        {
            if (string.Equals(host, domain, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + domain, true, CultureInfo.InvariantCulture))
            {
                uri = parsed;
                return true;
            }
        }
        return false;
    }

    private static string AuthorityOf(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var end = url.AsSpan(start).IndexOfAny('/', '?', '#');
        return end < 0 ? url[start..] : url.Substring(start, end);
    }
}
