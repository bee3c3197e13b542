using System.Net;
using Microsoft.AspNetCore.Http.Features;
using Portal.AccessControl;
using Portal.ForwardAuth;
using Portal.Infrastructure;
using Yarp.ReverseProxy.Model;

namespace Portal.Gateway;

/// <summary><c>gateway.trusted_proxies</c>, kept apart from the portal's own list in DI.</summary>
internal sealed record GatewayTrustedProxies(TrustedProxies Value)
{
    /// <summary>The scheme the browser used: the connection's, or a trusted TLS terminator's <c>X-Forwarded-Proto</c>.</summary>
    public string SchemeOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (Value.IsTrusted(context.Connection.RemoteIpAddress)
            && request.Headers["X-Forwarded-Proto"] is [var forwardedProto] && forwardedProto is "http" or "https")
        {
            return forwardedProto;
        }
        return request.Scheme;
    }
}
