using System.Net;
using Portal.AccessControl;
using Portal.ForwardAuth;

namespace Portal.Gateway;

/// <summary>The portal could not be asked, or gave an answer that is not a decision.</summary>
internal sealed class PortalUnreachableException(string message, Exception? inner = null) : Exception(message, inner);
