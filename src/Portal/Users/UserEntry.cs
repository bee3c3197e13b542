using System.Collections.Frozen;
using Portal.Crypto;

namespace Portal.Users;

/// <summary>One user from the users file, with the digest already parsed.</summary>
internal sealed record UserEntry(UserDetails Details, PasswordDigest Digest, bool Disabled);
