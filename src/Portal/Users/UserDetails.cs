namespace Portal.Users;

/// <summary>What the portal knows about a user: <see cref="Username"/> is the canonical name (the key in the users file).</summary>
internal sealed record UserDetails(string Username, string DisplayName, IReadOnlyList<string> Emails, IReadOnlyList<string> Groups);
