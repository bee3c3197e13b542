using Portal.Tests.Storage;

namespace Portal.Tests.RecoveryCodes;

/// <summary>The recovery-code store contract on a real PostgreSQL.</summary>
[Trait("Category", "Integration")]
[Collection("postgres")]
public sealed class PostgresRecoveryCodeStoreTests(PostgresServerFixture server) : RecoveryCodeStoreContract(new PostgresStoreEngine(server));
