using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Portal.Regulation;
using Portal.Session;
using Portal.Users;

namespace Portal.ForwardAuth;

/// <summary>
/// Turns an endpoint's <c>authn_strategies</c> (<see cref="AuthzEndpoint"/>) into its authenticators and runs them in
/// order: the one place a strategy kind meets its implementation.
/// </summary>
internal sealed class AuthzAuthenticators(IUserProvider users, RegulatedCredential regulated, BasicCredentialCache cache, ILogger<SessionCookieAuthenticator> cookieLogger)
{
    private readonly SessionCookieAuthenticator _cookie = new(users, cookieLogger);

    // Keyed by the list itself: endpoint lists are built once at start and the defaults are static, so this stays small.
    private readonly ConditionalWeakTable<IReadOnlyList<AuthnStrategy>, IReadOnlyList<IAuthzAuthenticator>> _built = new();

    public IReadOnlyList<IAuthzAuthenticator> For(IReadOnlyList<AuthnStrategy> strategies) =>
        _built.GetValue(strategies, list => [.. list.Select(Create)]);

    /// <summary>
    /// Authelia's rule: a credential authenticator whose header is absent hands over to the next; one whose header is
    /// present decides, a user or its own refusal, and no further strategy runs. The cookie names a user or nobody.
    /// </summary>
    public async Task<AuthnResult> AuthenticateAsync(AuthzRequest request, SessionManager manager, ICollection<string> setCookies, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var authenticator in For(request.Strategies ?? request.Profile.DefaultStrategies))
        {
            if (await authenticator.AuthenticateAsync(request, manager, setCookies, ct) is { } decided)
            {
                return decided;
            }
        }
        return AuthnResult.Anonymous;
    }

    private IAuthzAuthenticator Create(AuthnStrategy strategy) => strategy.Kind switch
    {
        AuthnStrategyKind.CookieSession => _cookie,
        _ => new BasicAuthenticator(strategy, users, regulated, cache),
    };
}
