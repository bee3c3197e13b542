using System.Collections.Frozen;
using Portal.Crypto;

namespace Portal.Users;

/// <summary>
/// An immutable snapshot of the users file with its lookup indexes. The provider swaps whole snapshots on reload, so
/// a reader never sees a half-loaded file and needs no lock.
/// </summary>
internal sealed class UsersDatabase
{
    private readonly FrozenDictionary<string, UserEntry> _byName;
    private readonly FrozenDictionary<string, UserEntry>? _byNameIgnoringCase;
    private readonly FrozenDictionary<string, UserEntry>? _byEmail;

    /// <param name="users">every user in the file, disabled ones included; names and emails must already be checked for clashes</param>
    public UsersDatabase(IReadOnlyList<UserEntry> users, bool caseInsensitive, bool searchEmail)
    {
        ArgumentNullException.ThrowIfNull(users);
        Users = users;
        // Disabled users are left out of every index: to a caller they simply don't exist.
        var enabled = users.Where(u => !u.Disabled).ToList();
        _byName = enabled.ToFrozenDictionary(u => u.Details.Username, StringComparer.Ordinal);
        if (caseInsensitive)
        {
            _byNameIgnoringCase = enabled.ToFrozenDictionary(u => u.Details.Username, StringComparer.OrdinalIgnoreCase);
        }
        if (searchEmail)
        {
            _byEmail = enabled
                .SelectMany(u => u.Details.Emails.Select(e => (Email: e, User: u)))
                .DistinctBy(x => x.Email, StringComparer.OrdinalIgnoreCase)
                .ToFrozenDictionary(x => x.Email, x => x.User, StringComparer.OrdinalIgnoreCase);
        }
    }

    public IReadOnlyList<UserEntry> Users { get; }

    public int EnabledCount => _byName.Count;

    /// <summary>Exact username first, then (if enabled) the username ignoring case, then (if enabled) an email address.</summary>
    public UserEntry? Find(string? login)
    {
        var name = login?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }
        if (_byName.TryGetValue(name, out var user))
        {
            return user;
        }
        if (_byNameIgnoringCase is not null && _byNameIgnoringCase.TryGetValue(name, out user))
        {
            return user;
        }
        if (_byEmail is not null && name.Contains('@', StringComparison.Ordinal) && _byEmail.TryGetValue(name, out user))
        {
            return user;
        }
        return null;
    }

    /// <summary>
    /// The argon2 parameters most enabled users' digests use, so the dummy check for unknown users costs the same
    /// as a real one even when the file's digests differ from the configured defaults.
    /// </summary>
    public Argon2Parameters? MostCommonArgon2Parameters() => Users
        .Where(u => !u.Disabled)
        .Select(u => (u.Digest as Argon2Digest)?.Parameters)
        .OfType<Argon2Parameters>()
        .GroupBy(p => p)
        .OrderByDescending(g => g.Count())
        .Select(g => g.Key)
        .FirstOrDefault();
}
