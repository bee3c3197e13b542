namespace Portal.Crypto;

/// <summary>
/// Hashes new passwords with argon2 (Authelia's default) and verifies every format <see cref="PasswordDigest"/>
/// understands, so users files migrated from Authelia keep working.
/// </summary>
internal sealed class PasswordHasher(Argon2Parameters parameters) : IPasswordHasher
{
    public Argon2Parameters Parameters { get; } = parameters;

    /// <summary>A hasher with the <c>authentication_backend.file.password.argon2</c> settings.</summary>
    public static PasswordHasher FromOptions(Argon2Options options)
    {
        var parameters = Argon2Parameters.FromOptions(options);
        var errors = parameters.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid argon2 parameters: " + string.Join("; ", errors), nameof(options));
        }
        return new PasswordHasher(parameters);
    }

    public string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return Argon2Digest.Create(password, Parameters).Encode();
    }

    public bool Verify(string password, string encoded)
    {
        ArgumentNullException.ThrowIfNull(password);
        return PasswordDigest.TryParse(encoded, out var digest, out _) && digest.Matches(password);
    }

    public bool IsSupported(string encoded, out string error) => PasswordDigest.TryParse(encoded, out _, out error);
}
