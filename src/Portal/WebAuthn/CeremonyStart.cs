using Portal.Users;
using Portal.Session;

namespace Portal.WebAuthn;

/// <summary>Options JSON for the browser (<c>publicKey</c>) and the state to keep server-side until completion.</summary>
internal sealed record CeremonyStart(string PublicKeyJson, WebAuthnCeremony Ceremony);
