namespace Portal.Tests.Storage;

/// <summary>A <see cref="PostgresServerFixture"/> that speaks TLS and wants a client certificate over it.</summary>
public sealed class PostgresTlsServerFixture() : PostgresServerFixture(tls: true);
