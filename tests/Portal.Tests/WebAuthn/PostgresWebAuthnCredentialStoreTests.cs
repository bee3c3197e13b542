using Portal.Tests.Storage;

namespace Portal.Tests.WebAuthn;

/// <summary>The WebAuthn store contract on a real PostgreSQL.</summary>
[Trait("Category", "Integration")]
[Collection("postgres")]
public sealed class PostgresWebAuthnCredentialStoreTests(PostgresServerFixture server) : WebAuthnStoreContract(new PostgresStoreEngine(server));
