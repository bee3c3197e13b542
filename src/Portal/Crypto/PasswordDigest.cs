using System.Diagnostics.CodeAnalysis;

namespace Portal.Crypto;

/// <summary>
/// A parsed password digest. Parsing happens once (when the users file loads), so a login only pays for the hash
/// itself and a malformed digest is reported at load time rather than at the first login.
/// </summary>
internal abstract class PasswordDigest
{
    /// <summary>The algorithm name as it appears in the digest's identifier, e.g. <c>argon2id</c> or <c>sha512crypt</c>.</summary>
    public abstract string Algorithm { get; }

    /// <summary>The digest as written in the users file: tells a changed password from an unchanged one on reload.</summary>
    public string Encoded { get; private set; } = "";

    /// <summary>Recomputes the digest for <paramref name="password"/> and compares in constant time.</summary>
    public abstract bool Matches(string password);

    /// <summary>
    /// Recognises argon2 (id/i/d) PHC strings, sha-crypt (<c>$5$</c>, <c>$6$</c>) and pbkdf2 (<c>$pbkdf2[-shaN]$</c>).
    /// Never throws: anything else yields <c>false</c> and a one-line reason.
    /// </summary>
    public static bool TryParse(string? encoded, [NotNullWhen(true)] out PasswordDigest? digest, out string error)
    {
        digest = null;
        if (string.IsNullOrEmpty(encoded))
        {
            error = "the digest is empty";
            return false;
        }
        if (!encoded.StartsWith('$'))
        {
            // Most often a plaintext password pasted into the users file; say so rather than "unknown format".
            error = "the digest does not start with '$' (is it a plaintext password?)";
            return false;
        }
        var end = encoded.IndexOf('$', 1);
        var id = end < 0 ? encoded[1..] : encoded[1..end];
        bool ok;
        switch (id)
        {
            case "argon2id" or "argon2i" or "argon2d":
                ok = Argon2Digest.TryParse(encoded, out var argon2, out error);
                digest = argon2;
                break;
            case "5" or "6":
                ok = ShaCryptDigest.TryParse(encoded, out var shaCrypt, out error);
                digest = shaCrypt;
                break;
            case "pbkdf2" or "pbkdf2-sha1" or "pbkdf2-sha256" or "pbkdf2-sha384" or "pbkdf2-sha512":
                ok = Pbkdf2Digest.TryParse(encoded, out var pbkdf2, out error);
                digest = pbkdf2;
                break;
            case "2a" or "2b" or "2y" or "scrypt":
                error = $"the '{id}' digest format is not supported; re-hash the password with 'portal crypto hash generate argon2'";
                return false;
            default:
                error = $"unknown digest identifier '${id}$'";
                return false;
        }
        if (ok)
        {
            digest!.Encoded = encoded;
        }
        return ok;
    }
}
