using Portal.Users;
using Portal.Session;

namespace Portal.WebAuthn;

/// <summary>
/// The relying party of one ceremony. <see cref="Id"/> is the portal's host as the browser reached it (not the
/// cookie domain); <see cref="Origin"/> is <c>scheme://host[:port]</c>, the only origin accepted in clientDataJSON.
/// </summary>
internal sealed record RelyingParty(string Id, string Origin);
