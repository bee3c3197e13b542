using Portal.Tests.Storage;

namespace Portal.Tests.WebAuthn;

/// <summary>The WebAuthn store contract on a real SQLite database file.</summary>
public sealed class SqliteWebAuthnCredentialStoreTests() : WebAuthnStoreContract(new SqliteStoreEngine());
