using Portal.Tests.Storage;

namespace Portal.Tests.Totp;

/// <summary>The TOTP configuration contract on a real PostgreSQL.</summary>
[Trait("Category", "Integration")]
[Collection("postgres")]
public sealed class PostgresTotpConfigurationStoreTests(PostgresServerFixture server) : TotpConfigurationStoreContract(new PostgresStoreEngine(server));
