using System.Net;
using Portal.Authorization;
using Portal.Authz;

namespace Portal.Gateway;

/// <summary>
/// One request to decide, taken from the real request: the canonical target, the URL as the user typed it (for
/// <c>rd</c>), the client, and only the headers a decision may read (Cookie, Authorization, Accept,
/// X-Requested-With). In-process and remote deciders receive exactly this, so they cannot disagree.
/// </summary>
/// <param name="ForwardedPathAndQuery">the path and query the upstream will receive (what <paramref name="Target"/> was read from)</param>
internal sealed record GatewayQuestion(
    AccessTarget Target,
    string OriginalUrl,
    string RawHost,
    string ForwardedPathAndQuery,
    IPAddress ClientIp,
    IHeaderDictionary Headers,
    bool AllowPlainHttp)
{
    /// <summary>The request headers the decision reads; everything else stays between the client and the upstream.</summary>
    public static readonly string[] DecisionHeaders = ["Cookie", "Authorization", "Accept", "X-Requested-With"];

    public static IHeaderDictionary SelectHeaders(IHeaderDictionary request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var selected = new HeaderDictionary();
        foreach (var name in DecisionHeaders)
        {
            if (request.TryGetValue(name, out var values) && values.Count > 0)
            {
                selected[name] = values;
            }
        }
        return selected;
    }
}

/// <summary>
/// Decides a gateway request. The reply is final: status 200 means "forward" (its headers carry
/// <c>Remote-*</c> and any <c>Set-Cookie</c>); anything else is sent to the client as is and nothing is forwarded.
/// </summary>
internal interface IGatewayDecider
{
    /// <exception cref="PortalUnreachableException">the decision could not be obtained (fail closed: 502)</exception>
    Task<AuthzReply> DecideAsync(GatewayQuestion question, CancellationToken ct);
}

/// <summary>The portal could not be asked, or gave an answer that is not a decision.</summary>
internal sealed class PortalUnreachableException(string message, Exception? inner = null) : Exception(message, inner);

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
