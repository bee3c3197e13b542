using System.Net;

namespace Portal.Regulation;

/// <summary>A row of <c>banned_user</c> or <c>banned_ip</c>. <see cref="Expires"/> null means permanent.</summary>
internal sealed record Ban(
    long Id,
    RegulationSubject Subject,
    string Value,
    DateTimeOffset Time,
    DateTimeOffset? Expires,
    bool Revoked,
    DateTimeOffset? RevokedAt,
    string Source,
    string? Reason)
{
    public bool IsActive(DateTimeOffset now) => !Revoked && (Expires is null || Expires > now);
}
