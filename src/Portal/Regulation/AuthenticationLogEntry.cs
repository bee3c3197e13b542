using System.Net;

namespace Portal.Regulation;

/// <summary>A row of <c>authentication_logs</c>.</summary>
internal sealed record AuthenticationLogEntry(
    long Id,
    DateTimeOffset Time,
    bool Successful,
    bool Banned,
    string Username,
    string AuthType,
    string RemoteIp,
    string RequestUri,
    string RequestMethod);
