using Portal.WebAuthn;

namespace Portal.Cli;

/// <summary>One entry of <see cref="WebAuthnExportFile"/>: the credential and its user's handle, when known.</summary>
internal sealed record ExportedCredential(WebAuthnCredential Credential, string? UserHandle);
