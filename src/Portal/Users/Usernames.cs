namespace Portal.Users;

/// <summary>
/// The one canonical spelling of a username. Everything keyed per user (regulation buckets and logs, WebAuthn rows,
/// one-time codes, passkey offers) goes through <see cref="Key"/>, so that no path can split one person's rows or
/// budget into several by spelling (CVE-2025-24806, CVE-2026-47203).
/// </summary>
internal static class Usernames
{
    /// <summary>
    /// The username a login attempt is about: the users file's own spelling when an enabled user matches (which also
    /// folds case and email logins per <c>authentication_backend.file.search</c>), else the login as typed, so that
    /// guesses at unknown names are regulated too.
    /// </summary>
    public static string Canonical(IUserProvider users, string login)
    {
        ArgumentNullException.ThrowIfNull(users);
        return users.ResolveUsername(login) ?? login;
    }

    /// <summary>The storage and bucket key: trimmed and lower-cased (invariant); empty for none.</summary>
    public static string Key(string? username) => (username ?? "").Trim().ToLowerInvariant();
}
