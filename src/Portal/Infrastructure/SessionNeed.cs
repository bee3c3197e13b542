namespace Portal.Infrastructure;

/// <summary>What an endpoint needs of the portal session (see <see cref="SessionRequirement"/>).</summary>
internal enum SessionNeed
{
    /// <summary>Any session, anonymous included (the state, a passkey sign-in's second half).</summary>
    Any,

    /// <summary>No user yet: a sign-in that must not start from a signed-in session.</summary>
    Anonymous,

    /// <summary>A named user, whatever the level.</summary>
    User,

    /// <summary>At least one factor.</summary>
    SignedIn,

    /// <summary>An elevated session (<see cref="Portal.Elevation.ElevationRequirement"/>): credential changes.</summary>
    Elevated,
}
