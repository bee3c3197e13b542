using System.Net;

namespace Portal.AccessControl;

/// <summary>Who is asking. Anonymous means no username and no groups, as in Authelia.</summary>
internal sealed record Subject(string? Username, IReadOnlyList<string> Groups, IPAddress? Ip)
{
    public static Subject Anonymous(IPAddress? ip = null) => new(null, [], ip);

    public bool IsAnonymous => string.IsNullOrEmpty(Username) && Groups.Count == 0;
}
