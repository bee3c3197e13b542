using System.Text;
using Microsoft.Extensions.Logging;
using Portal.Users;
using Portal.AccessControl;
using Portal.Configuration;
using Portal.FirstFactor;
using Portal.Infrastructure;
using Portal.Regulation;
using Portal.Session;

namespace Portal.ForwardAuth;

/// <summary>The decision, the answer to send when the request is not forwarded, and the user to name upstream.</summary>
internal sealed record AuthzResult(AuthzOutcome Outcome, AuthzReply Reply, UserDetails? User);
