using System.Globalization;
using System.Net;

namespace Portal.Infrastructure;

/// <summary>
/// A listen address as Authelia writes it: <c>tcp://:9091/</c>, <c>tcp://127.0.0.1:9091/portal</c>,
/// <c>tcp6://[::1]:9091/</c> or <c>unix:///run/portal.sock</c>. An empty host means every interface.
/// </summary>
internal sealed record ListenAddress(string Scheme, IPAddress? Host, int Port, string? SocketPath, string BasePath)
{
    public bool IsUnixSocket => SocketPath is not null;

    /// <summary>Adds this address to Kestrel (the portal's and the gateway's listeners alike).</summary>
    public void ListenOn(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel,
        Action<Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        if (IsUnixSocket)
        {
            kestrel.ListenUnixSocket(SocketPath!, configure);
        }
        else if (Host is null)
        {
            kestrel.ListenAnyIP(Port, configure);
        }
        else
        {
            kestrel.Listen(Host, Port, configure);
        }
    }

    public static bool TryParse(string text, out ListenAddress address, out string error)
    {
        address = new ListenAddress("tcp", null, 0, null, "/");
        error = "";
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && !TryParseHostPort(text, out uri))
        {
            error = "must be an address such as 'tcp://:9091/' or 'unix:///run/portal.sock'";
            return false;
        }
        var scheme = uri.Scheme.ToLowerInvariant();
        if (scheme == "unix")
        {
            address = new ListenAddress(scheme, null, 0, uri.AbsolutePath, "/");
            return true;
        }
        if (scheme is not ("tcp" or "tcp4" or "tcp6"))
        {
            error = $"has scheme '{uri.Scheme}' but must use 'tcp', 'tcp4', 'tcp6' or 'unix'";
            return false;
        }
        // Uri puts "tcp://:9091/" into an empty host; Authelia reads that as every interface.
        IPAddress? host = null;
        var hostText = uri.Host.Trim('[', ']');
        if (hostText.Length > 0 && hostText != "0.0.0.0" && !IPAddress.TryParse(hostText, out host))
        {
            if (!string.Equals(hostText, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                error = $"has host '{uri.Host}' but must use an IP address (or leave it empty for every interface)";
                return false;
            }
            host = IPAddress.Loopback;
        }
        // Port 0 (an ephemeral port) is allowed for tests and for running several portals on one machine.
        if (uri.IsDefaultPort || uri.Port is < 0 or > 65535)
        {
            error = "must include a port, such as 'tcp://:9091/'";
            return false;
        }
        var path = uri.AbsolutePath.TrimEnd('/');
        address = new ListenAddress(scheme, host, uri.Port, null, path.Length == 0 ? "/" : path);
        return true;
    }

    // "tcp://:9091/" has an empty host, which Uri refuses; rewrite it to the unspecified address.
    private static bool TryParseHostPort(string text, out Uri uri)
    {
        var t = text.Trim();
        var schemeEnd = t.IndexOf("://:", StringComparison.Ordinal);
        if (schemeEnd > 0)
        {
            return Uri.TryCreate(string.Concat(t.AsSpan(0, schemeEnd), "://0.0.0.0", t.AsSpan(schemeEnd + 3)), UriKind.Absolute, out uri!);
        }
        uri = null!;
        return false;
    }

    /// <summary>The Kestrel URL to bind ("http://127.0.0.1:9091").</summary>
    public string ToKestrelUrl(bool https = false) =>
        string.Create(CultureInfo.InvariantCulture, $"{(https ? "https" : "http")}://{HostForUrl}:{Port}");

    private string HostForUrl => Host switch
    {
        null => Scheme == "tcp6" ? "[::]" : "0.0.0.0",
        { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } v6 => $"[{v6}]",
        var v4 => v4.ToString(),
    };
}
