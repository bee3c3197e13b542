using System.Net;

namespace Portal.Regulation;

/// <summary>One authentication attempt as a handler reports it. The regulator stamps the time.</summary>
/// <param name="Username">The canonical username (the users-file key), or empty when not yet known.</param>
/// <param name="AuthType">One of <see cref="AuthenticationTypes"/>.</param>
/// <param name="Banned">The attempt was refused because of a ban, without checking the credential.</param>
internal sealed record AuthenticationAttempt(
    bool Successful,
    bool Banned,
    string Username,
    string AuthType,
    IPAddress RemoteIp,
    string RequestUri,
    string RequestMethod);
