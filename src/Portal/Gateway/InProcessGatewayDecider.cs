using System.Net;
using Portal.AccessControl;
using Portal.ForwardAuth;

namespace Portal.Gateway;

/// <summary><c>portal serve</c>: the gateway calls the authz handler directly, no HTTP hop.</summary>
internal sealed class InProcessGatewayDecider(AuthzHandler authz) : IGatewayDecider
{
    public async Task<AuthzReply> DecideAsync(GatewayQuestion question, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(question);
        var request = new AuthzRequest(AuthzImplementation.ForwardAuth, question.Target, question.OriginalUrl, question.ClientIp, question.Headers,
            // The client's own query must never act as a forward-auth parameter (authelia_url).
            QueryCollection.Empty, question.AllowPlainHttp);
        var result = await authz.AuthorizeAsync(request, ct);
        if (result.Reply.Status == 200 && result.Outcome != AuthzOutcome.Authorized)
        {
            // Cannot happen by construction; if it ever does, a disagreement is not a yes.
            return AuthzReply.Plain(503);
        }
        return result.Reply;
    }
}
