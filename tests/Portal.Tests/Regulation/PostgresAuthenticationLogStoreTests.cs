using Portal.Tests.Storage;

namespace Portal.Tests.Regulation;

/// <summary>The authentication log contract on a real PostgreSQL.</summary>
[Trait("Category", "Integration")]
[Collection("postgres")]
public sealed class PostgresAuthenticationLogStoreTests(PostgresServerFixture server) : AuthenticationLogStoreContract(new PostgresStoreEngine(server));
