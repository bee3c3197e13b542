using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Portal.Configuration;
using Portal.Infrastructure;

namespace Portal.Gateway;

/// <summary>The gateway's own socket: where it listens, with or without TLS, and when plain http is acceptable.</summary>
internal sealed class GatewayListener
{
    private GatewayListener(ListenAddress address, X509Certificate2? certificate)
    {
        Address = address;
        Certificate = certificate;
    }

    public ListenAddress Address { get; }
    public X509Certificate2? Certificate { get; }
    public bool UsesTls => Certificate is not null;

    public static GatewayListener From(GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!ListenAddress.TryParse(options.Address, out var address, out var error))
        {
            throw new Infrastructure.PortalApp.StartupException($"gateway: option 'address' {error}");
        }
        X509Certificate2? certificate = null;
        if (options.Tls.Certificate.Length > 0)
        {
            try
            {
                certificate = X509Certificate2.CreateFromPemFile(options.Tls.Certificate, options.Tls.Key);
            }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw new Infrastructure.PortalApp.StartupException($"gateway: tls: cannot load '{options.Tls.Certificate}' with key '{options.Tls.Key}': {e.Message}");
            }
        }
        return new GatewayListener(address, certificate);
    }

    public void Configure(KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        void Listen(ListenOptions listen)
        {
            if (Certificate is not null)
            {
                listen.UseHttps(Certificate);
            }
        }
        Address.ListenOn(kestrel, Listen);
    }

    /// <summary>Bound to a loopback address only: nothing but this machine can reach it.</summary>
    public static bool IsLoopback(ListenAddress address) =>
        address is { IsUnixSocket: false, Host: { } host } && IPAddress.IsLoopback(host);

    /// <summary>
    /// The plain-http rule (the localhost demo): an http target is decided only when the gateway has no TLS, is bound
    /// to loopback, and the browser asked for a loopback name (<c>localhost</c>, <c>*.localhost</c>, 127.0.0.0/8,
    /// <c>::1</c>). The session cookie never crosses a network then. Every other http target is refused, and the
    /// host must still be under a <c>session.cookies</c> domain like any other.
    /// </summary>
    public bool AllowsPlainHttpFor(string canonicalHost) =>
        !UsesTls && IsLoopback(Address) && IsLoopbackHost(canonicalHost);

    internal static bool IsLoopbackHost(string host) =>
        host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal)
        || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
}
