using System.Net;
using Portal.AccessControl;
using Portal.ForwardAuth;

namespace Portal.Gateway;

/// <summary>
/// Decides a gateway request. The reply is final: status 200 means "forward" (its headers carry
/// <c>Remote-*</c> and any <c>Set-Cookie</c>); anything else is sent to the client as is and nothing is forwarded.
/// </summary>
internal interface IGatewayDecider
{
    /// <exception cref="PortalUnreachableException">the decision could not be obtained (fail closed: 502)</exception>
    Task<AuthzReply> DecideAsync(GatewayQuestion question, CancellationToken ct);
}
