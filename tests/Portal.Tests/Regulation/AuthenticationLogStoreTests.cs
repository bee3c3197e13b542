using Portal.Tests.Storage;

namespace Portal.Tests.Regulation;

/// <summary>The authentication log contract on SQLite.</summary>
public sealed class AuthenticationLogStoreTests() : AuthenticationLogStoreContract(new SqliteStoreEngine());
