using System.Net;
using Microsoft.AspNetCore.Http.Features;
using Portal.AccessControl;
using Portal.ForwardAuth;
using Portal.Infrastructure;
using Yarp.ReverseProxy.Model;

namespace Portal.Gateway;

/// <summary>The <c>Strict-Transport-Security</c> value for the gateway's own https answers (<c>server.hsts</c>); null when off.</summary>
internal sealed record GatewayHsts(string? Value);
