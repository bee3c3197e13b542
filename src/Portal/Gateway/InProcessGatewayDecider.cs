using Portal.ForwardAuth;

namespace Portal.Gateway;

/// <summary><c>portal serve</c>: the gateway calls the authz handler directly, no HTTP hop.</summary>
internal sealed class InProcessGatewayDecider(AuthzHandler authz) : IGatewayDecider
{
    public async Task<AuthzReply> DecideAsync(GatewayQuestion question, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(question);
        var headers = question.Headers;
        // As the remote decider asks /api/authz/forward-auth: the same headers, and no portal-URL override (the
        // client's own query is the app's, never a forward-auth parameter).
        var request = new AuthzRequest
        {
            Profile = AuthzProfile.ForwardAuth,
            Target = question.Target,
            OriginalUrl = question.OriginalUrl,
            ClientIp = question.ClientIp,
            Cookies = headers.Cookie,
            Authorization = headers.Authorization.ToString(),
            Accept = headers.Accept.ToString(),
            RequestedWith = headers.XRequestedWith.ToString(),
            AllowPlainHttp = question.AllowPlainHttp,
        };
        var result = await authz.AuthorizeAsync(request, ct);
        if (result.Reply.Status == 200 && result.Outcome != AuthzOutcome.Authorized)
        {
            // Cannot happen by construction; if it ever does, a disagreement is not a yes.
            return AuthzReply.Plain(503);
        }
        return result.Reply;
    }
}
