using System.Security.Cryptography;
using System.Text;

namespace Portal.Session;

/// <summary>
/// A session's public name: the first 16 bytes of SHA-256 of its id, base64url. Enough to tell a user's sessions
/// apart and to end one, useless as a cookie: the id cannot be recovered from it, so a page, a log or a CLI listing
/// that shows it hands nobody a session.
/// </summary>
internal static class SessionHandles
{
    public static string Of(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(id), hash);
        return Convert.ToBase64String(hash[..16]).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
