using Portal.Users;

namespace Portal.Session;

/// <summary>An elevated session, bound to the IP that verified the code.</summary>
internal sealed class SessionElevation
{
    public string Id { get; set; } = "";
    public string RemoteIp { get; set; } = "";
    public DateTimeOffset Expires { get; set; }

    public bool IsValid(DateTimeOffset now, string remoteIp) =>
        now < Expires && string.Equals(RemoteIp, remoteIp, StringComparison.Ordinal);

    /// <summary>A copy (only value-like members; see <see cref="UserSession.Copy"/>).</summary>
    public SessionElevation Copy() => (SessionElevation)MemberwiseClone();
}
