namespace Portal.Elevation;

internal enum CodeOutcome
{
    Verified,

    /// <summary>No code for this user, IP and text: wrong, or issued to another IP or user.</summary>
    NotFound,
    Expired,
    Revoked,
    Consumed,
}
