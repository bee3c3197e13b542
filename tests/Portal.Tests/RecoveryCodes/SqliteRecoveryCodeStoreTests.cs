using Portal.Tests.Storage;

namespace Portal.Tests.RecoveryCodes;

/// <summary>The recovery-code store contract on a real SQLite database file.</summary>
public sealed class SqliteRecoveryCodeStoreTests() : RecoveryCodeStoreContract(new SqliteStoreEngine());
