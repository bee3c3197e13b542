namespace Portal.Users;

/// <summary>
/// The authentication backend. Every method takes a login name as typed (surrounding whitespace is ignored; case
/// and email matching follow <c>authentication_backend.file.search</c>). A disabled user is indistinguishable from
/// an unknown one. Implementations are thread-safe and synchronous: lookups are in memory.
/// </summary>
internal interface IUserProvider
{
    /// <summary>
    /// The canonical username for a login name, or <c>null</c> when no enabled user matches. Use it to key anything
    /// per user (regulation, sessions) so that <c>Alice</c>, <c> alice </c> and <c>alice@example.com</c> are one user.
    /// </summary>
    string? ResolveUsername(string login);

    /// <summary>The user's details, or <c>null</c> when no enabled user matches.</summary>
    UserDetails? GetDetails(string login);

    /// <summary>
    /// Whether <paramref name="password"/> is the user's password. For an unknown or disabled user this still hashes
    /// once at the same cost, so response time doesn't tell an attacker which usernames exist.
    /// </summary>
    bool CheckPassword(string login, string password);

    /// <summary>Changes whenever the users change (a reload with new content): what was derived from them is stale.</summary>
    long Generation { get; }
}
