using Portal.Tests.Support;

namespace Portal.Tests.Proxies;

/// <summary>
/// Whatever stands between a browser and the protected app: a reverse proxy that asks the portal about every
/// request. <see cref="ProxyFlowSuite{TFront}"/> drives it only through these members, so any front (nginx, Caddy,
/// the portal's own gateway) runs the same flows.
/// </summary>
public abstract class ProxyFront : IAsyncLifetime
{
    /// <summary>The portal the front asks; also the oracle tests consult directly.</summary>
    internal abstract PortalTestHost Portal { get; }

    /// <summary>The protected app behind the front (every <c>*.example.com</c> host but the portal's).</summary>
    internal abstract EchoUpstream Upstream { get; }

    /// <summary>
    /// Sends <paramref name="request"/> (absolute https URL: <c>https://app.example.com/x</c>, the portal at
    /// <c>https://auth.example.com</c>) as a browser would, over TLS with the URL's host as SNI. No redirects are
    /// followed and no cookies kept.
    /// </summary>
    internal abstract Task<HttpResponseMessage> SendAsync(HttpRequestMessage request);

    /// <summary>
    /// Sends one request exactly as written (<paramref name="rawRequest"/>: request line, headers, CRLFs) over TLS
    /// with <paramref name="sni"/>, for inputs an HttpClient would normalize (dot segments, duplicate headers).
    /// </summary>
    internal abstract Task<RawResponse> SendRawAsync(string sni, string rawRequest);

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();
}

/// <summary>A response read off the wire: the status code and the header block as text.</summary>
internal sealed record RawResponse(int StatusCode, string Head)
{
    public static RawResponse Parse(string text)
    {
        var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = headEnd >= 0 ? text[..headEnd] : text;
        var parts = head.Split(' ', 3);
        return parts.Length >= 2 && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var status)
            ? new RawResponse(status, head)
            : throw new InvalidOperationException($"not an HTTP response: '{head}'");
    }
}
