using System.Net;
using Portal.AccessControl;
using Portal.ForwardAuth;

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
