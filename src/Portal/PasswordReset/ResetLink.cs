namespace Portal.PasswordReset;

/// <summary>What a verified reset link says: whose password, which link (its id, recorded when used), until when.</summary>
internal sealed record ResetLink(string Username, string Id, string PasswordFingerprint, DateTimeOffset Expires);
