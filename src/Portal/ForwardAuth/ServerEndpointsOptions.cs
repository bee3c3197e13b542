using System.ComponentModel;
namespace Portal.ForwardAuth;

internal sealed class ServerEndpointsOptions
{
    /// <summary>
    /// Authelia's <c>server.endpoints.authz</c>: named authz endpoints (<c>/api/authz/&lt;name&gt;</c>, <c>legacy</c> is
    /// <c>/api/verify</c>). Empty means Authelia's three defaults; any entry replaces them all.
    /// </summary>
    [Description("Named authz endpoints (/api/authz/<name>; 'legacy' is /api/verify). Empty serves Authelia's three: forward-auth, auth-request and legacy; any entry replaces all three.")]
    public IReadOnlyDictionary<string, AuthzEndpointOptions> Authz { get; init; } = new Dictionary<string, AuthzEndpointOptions>();
}
