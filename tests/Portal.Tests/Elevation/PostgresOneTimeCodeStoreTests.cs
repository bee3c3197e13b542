using Portal.Tests.Storage;

namespace Portal.Tests.Elevation;

/// <summary>The one-time code contract on a real PostgreSQL.</summary>
[Trait("Category", "Integration")]
[Collection("postgres")]
public sealed class PostgresOneTimeCodeStoreTests(PostgresServerFixture server) : OneTimeCodeStoreContract(new PostgresStoreEngine(server));
