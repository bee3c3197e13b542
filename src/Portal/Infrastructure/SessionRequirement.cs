namespace Portal.Infrastructure;

/// <summary>
/// What <see cref="RequireSessionFilter"/> demands of an endpoint's session and how it refuses. The answers differ
/// per endpoint because Authelia's do (401 for the redirection check, 403 for the configuration); they are data here
/// rather than a guard written in each handler.
/// </summary>
internal sealed record SessionRequirement(SessionNeed Need)
{
    public static readonly SessionRequirement Any = new(SessionNeed.Any);
    public static readonly SessionRequirement Anonymous = new(SessionNeed.Anonymous);
    public static readonly SessionRequirement SignedIn = new(SessionNeed.SignedIn);
    public static readonly SessionRequirement Elevated = new(SessionNeed.Elevated);

    /// <summary>The status of a refusal: 403 <c>Forbidden</c> or 401 <c>Unauthorized</c> (an elevated session's refusal is its own 403).</summary>
    public int RefusedStatus { get; init; } = StatusCodes.Status403Forbidden;

    /// <summary>
    /// A portal host under no cookie domain is refused like a missing session; otherwise it gets the 400 that names
    /// the misconfiguration.
    /// </summary>
    public bool RefusesUnknownDomain { get; init; }

    /// <summary>On refusal, a session cookie the store did not accept is expired so the browser stops presenting it.</summary>
    public bool ExpiresRejectedCookie { get; init; }
}
