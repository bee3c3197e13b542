using System.Net;

namespace Portal.Regulation;

/// <summary>One credential to check under regulation: who, from where, of what kind, and how a failure waits.</summary>
/// <param name="Username">the canonical username (<c>Users.Usernames.Canonical</c>); null when only verifying the
/// credential names its owner (a passkey): it is then verified first and the owner's ban applies after</param>
/// <param name="AuthType">one of <see cref="AuthenticationTypes"/></param>
/// <param name="RequestUri">what the attempt was for, as logged</param>
/// <param name="Delay">how long a refusal takes (<see cref="FailureDelays"/>)</param>
internal sealed record CredentialAttempt(
    string? Username,
    IPAddress ClientIp,
    string AuthType,
    string RequestUri,
    string RequestMethod,
    FailureDelay Delay)
{
    /// <summary>
    /// Whether a banned user's credential is still verified (the answer is refused either way). True for passwords,
    /// so that the hash runs and a ban cannot be told from timing; false for a security key, whose verification
    /// writes (its signature counter) and must not run for a banned user.
    /// </summary>
    public bool VerifyWhenBanned { get; init; } = true;

    /// <summary>
    /// A credential verified recently (the basic-credential cache): asked only when no ban applies; a username from
    /// it is a success without verifying, recording or waiting.
    /// </summary>
    public Func<string?>? Remembered { get; init; }
}
