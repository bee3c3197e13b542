namespace Portal.Regulation;

/// <summary>
/// The failure delay of each regulated sign-in path, one set per portal (the averages are this portal's successes).
/// The two password paths share one average: both hash with the same argon2 parameters.
/// </summary>
internal sealed class FailureDelays
{
    /// <summary>The password form and the password after a passkey.</summary>
    public FailureDelay Password { get; } = FailureDelay.LikeSuccess(TimeSpan.FromMilliseconds(250));

    /// <summary>Passkey login: its own average, as a signature check is much faster than a password hash.</summary>
    public FailureDelay Passkey { get; } = FailureDelay.LikeSuccess(TimeSpan.FromMilliseconds(100));

    /// <summary>Basic credentials on the authz endpoints: a fixed 2 s, which also slows a client that retries in a loop.</summary>
    public FailureDelay Basic { get; } = FailureDelay.AtLeast(TimeSpan.FromSeconds(2));

    /// <summary>The security-key second factor: none (the user is already known from the session; the answers are not padded).</summary>
    public FailureDelay SecurityKey { get; } = FailureDelay.None;

    /// <summary>
    /// The TOTP second factor: none, as for a security key (the user is known from the session, and a wrong code and
    /// a ban both end after the same configuration read, with no write).
    /// </summary>
    public FailureDelay Totp { get; } = FailureDelay.None;
}
