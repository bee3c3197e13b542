namespace Portal.Tests.Storage;

/// <summary>One PostgreSQL server for every class of the group; each test works in a schema of its own.</summary>
[CollectionDefinition("postgres")]
public sealed class PostgresTestGroup : ICollectionFixture<PostgresServerFixture>;
