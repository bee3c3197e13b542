using Portal.Tests.Storage;

namespace Portal.Tests.Totp;

/// <summary>The TOTP configuration contract on SQLite.</summary>
public sealed class SqliteTotpConfigurationStoreTests() : TotpConfigurationStoreContract(new SqliteStoreEngine());
