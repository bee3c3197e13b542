namespace Portal.Elevation;

internal enum RevokeOutcome
{
    Revoked,
    NotFound,
    AlreadyUsed,
}
