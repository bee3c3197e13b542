using System.Globalization;
using Portal.Configuration;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Portal.Gateway;

/// <summary>What the gateway needs to know about a route beyond YARP's matching.</summary>
internal sealed record GatewayRoute(string Id, bool Websockets, bool PassSessionCookie);
