namespace Portal.Storage;

/// <summary>
/// How every store keys a user: trimmed and lower-cased (invariant). Callers already pass the users-file key; the
/// stores apply this again, so no spelling of a name finds or creates another user's rows.
/// </summary>
internal static class StoredUsername
{
    public static string Canonical(string? username) => (username ?? "").Trim().ToLowerInvariant();
}
