using Portal.Session;

namespace Portal.Infrastructure;

/// <summary>
/// The portal session of one request, loaded and checked by <see cref="RequireSessionFilter"/> before the handler
/// runs. A handler takes it as a parameter; the endpoint carries <c>.RequireSession(…)</c>, which fills it in.
/// </summary>
internal sealed class PortalSession
{
    /// <summary>What the binder hands over until the filter replaces it: every member throws, so a handler mapped
    /// without <c>.RequireSession(…)</c> fails closed instead of running without a session.</summary>
    private static readonly PortalSession Unfilled = new();

    private readonly SessionManager? _manager;
    private readonly ActiveSession? _active;

    public PortalSession(SessionManager manager, ActiveSession active, AuthenticationLevel level)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(active);
        _manager = manager;
        _active = active;
        Level = level;
    }

    private PortalSession() => Level = AuthenticationLevel.NotAuthenticated;

    /// <summary>The manager of the cookie domain the portal host is under.</summary>
    public SessionManager Manager => _manager ?? throw NotFilled();

    public ActiveSession Active => _active ?? throw NotFilled();

    public UserSession Session => Active.Session;

    /// <summary>The session's level under <c>webauthn.experimental_enable_passkey_uv_two_factors</c>.</summary>
    public AuthenticationLevel Level { get; }

    /// <summary>Minimal APIs bind the parameter before endpoint filters run; the filter swaps in the loaded session.</summary>
    public static ValueTask<PortalSession?> BindAsync(HttpContext context) => ValueTask.FromResult<PortalSession?>(Unfilled);

    private static InvalidOperationException NotFilled() =>
        new("A handler takes a PortalSession but its endpoint has no RequireSession(…): map it with one.");
}
