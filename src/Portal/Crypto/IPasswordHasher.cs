namespace Portal.Crypto;

/// <summary>
/// Makes new password digests and checks passwords against stored ones, so callers never need to know which
/// algorithm a digest uses.
/// </summary>
internal interface IPasswordHasher
{
    /// <summary>A new digest of <paramref name="password"/> (not empty) with the configured algorithm and a fresh salt.</summary>
    string Hash(string password);

    /// <summary>
    /// Whether <paramref name="password"/> matches <paramref name="encoded"/>. A malformed or unsupported digest is a
    /// non-match, never an exception.
    /// </summary>
    bool Verify(string password, string encoded);

    /// <summary>Whether <paramref name="encoded"/> is a digest this hasher can verify; <paramref name="error"/> says why not.</summary>
    bool IsSupported(string encoded, out string error);
}
