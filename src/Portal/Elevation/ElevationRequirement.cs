using Portal.Configuration;
using Portal.Session;

namespace Portal.Elevation;

/// <summary>
/// The guard in front of every credential change (add, rename, delete). One pure function so the elevation
/// endpoints, the WebAuthn endpoints and the tests agree on the order of Authelia's <c>RequireElevated</c> checks.
/// </summary>
internal static class ElevationRequirement
{
    /// <summary>
    /// <c>null</c> when the session may change credentials. An expired elevation, or one verified from another IP,
    /// is removed from <paramref name="session"/> (the caller saves it) so it can never come back.
    /// </summary>
    /// <param name="level">The session's level under the configured passkey switches.</param>
    /// <param name="userHasSecondFactor">The user has at least one registered second-factor credential.</param>
    public static ElevationRefusal? Check(
        UserSession session,
        AuthenticationLevel level,
        ElevatedSessionOptions options,
        bool userHasSecondFactor,
        DateTimeOffset now,
        string remoteIp)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(options);
        if (level < AuthenticationLevel.OneFactor)
        {
            return ElevationRefusal.NeedsFirstFactor;
        }
        // A recovery code reaches two factors but never stands in for the emailed code: using one grants no elevation.
        if (options.SkipSecondFactor && level >= AuthenticationLevel.TwoFactor && !session.AuthenticationMethods.RecoveryCode)
        {
            return null;
        }
        if (options.RequireSecondFactor && level < AuthenticationLevel.TwoFactor && userHasSecondFactor)
        {
            return ElevationRefusal.NeedsSecondFactor;
        }
        if (session.Elevation is null)
        {
            return ElevationRefusal.NeedsElevation;
        }
        if (!session.Elevation.IsValid(now, remoteIp))
        {
            session.Elevation = null;
            return ElevationRefusal.NeedsElevation;
        }
        return null;
    }
}
