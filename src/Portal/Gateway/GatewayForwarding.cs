using System.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;

namespace Portal.Gateway;

/// <summary>What the decision step hands to the header transform for one allowed request.</summary>
/// <param name="Path">the path the decision was taken on: the only path the upstream may receive</param>
internal sealed record GatewayForwarding(
    GatewayRoute Route,
    string Scheme,
    string ForwardedFor,
    IReadOnlyList<KeyValuePair<string, string>> Identity,
    PathString Path);
