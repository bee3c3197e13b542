using System.Text;
using Microsoft.Extensions.Logging;
using Portal.Users;
using Portal.AccessControl;
using Portal.Configuration;
using Portal.FirstFactor;
using Portal.Infrastructure;
using Portal.Regulation;
using Portal.Session;

namespace Portal.ForwardAuth;

/// <summary>
/// What a forward-auth decision needs from a request, free of HTTP plumbing so that the authz endpoints and the
/// in-process gateway ask exactly the same question.
/// </summary>
/// <param name="Implementation">which proxy shape asked (decides 401 vs redirect and which basic header is read)</param>
/// <param name="Target">the canonical target</param>
/// <param name="OriginalUrl">the target as the user spelled it, for <c>rd</c></param>
/// <param name="ClientIp">the client, resolved through trusted proxies</param>
/// <param name="Headers">the caller's request headers (Authorization, Cookie, Accept, X-Requested-With, Session-Username)</param>
/// <param name="Query">the caller's query (authelia_url, rd, auth)</param>
/// <param name="AllowPlainHttp">the gateway serves plain-http listeners it owns (the localhost demo); proxies never do</param>
/// <param name="Strategies">the endpoint's authn strategies, in order; null: the implementation's defaults</param>
internal sealed record AuthzRequest(
    AuthzImplementation Implementation,
    AccessTarget Target,
    string OriginalUrl,
    System.Net.IPAddress ClientIp,
    IHeaderDictionary Headers,
    IQueryCollection Query,
    bool AllowPlainHttp = false,
    IReadOnlyList<AuthnStrategy>? Strategies = null);
