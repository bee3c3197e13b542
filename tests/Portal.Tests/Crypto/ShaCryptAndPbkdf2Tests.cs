using Portal.Crypto;

namespace Portal.Tests.Crypto;

public sealed class ShaCryptAndPbkdf2Tests
{
    [Theory]
    [InlineData(ReferenceVectors.Sha512CryptDefaultRounds, "password", 5000)]
    [InlineData(ReferenceVectors.Sha512CryptExplicit5000, "password", 5000)]
    [InlineData(ReferenceVectors.Sha512Crypt10000Rounds, "password", 10000)]
    [InlineData(ReferenceVectors.Sha512CryptSpecExample, "Hello world!", 10000)]
    [InlineData(ReferenceVectors.Sha256CryptDefaultRounds, "password", 5000)]
    [InlineData(ReferenceVectors.Sha256Crypt1000RoundsUtf8, ReferenceVectors.Utf8Password, 1000)]
    public void Sha_crypt_digests_from_libxcrypt_verify(string encoded, string password, int rounds)
    {
        Assert.True(ShaCryptDigest.TryParse(encoded, out var digest, out var error), error);
        Assert.Equal(rounds, digest.Rounds);
        Assert.True(digest.Matches(password));
        Assert.False(digest.Matches(password.ToUpperInvariant()));
    }

    [Theory]
    [InlineData(ReferenceVectors.Pbkdf2Sha512, "password", "pbkdf2-sha512")]
    [InlineData(ReferenceVectors.Pbkdf2Sha256, "password", "pbkdf2-sha256")]
    [InlineData(ReferenceVectors.Pbkdf2Sha1, "password", "pbkdf2")]
    [InlineData(ReferenceVectors.Pbkdf2Sha512Utf8BinarySalt, ReferenceVectors.Utf8Password, "pbkdf2-sha512")]
    public void Pbkdf2_digests_from_passlib_verify(string encoded, string password, string algorithm)
    {
        Assert.True(PasswordDigest.TryParse(encoded, out var digest, out var error), error);
        Assert.Equal(algorithm, digest.Algorithm);
        Assert.True(digest.Matches(password));
        Assert.False(digest.Matches("Password"));
    }

    [Theory]
    [InlineData("$6$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3nh", "86 characters")]
    [InlineData("$6$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3n+/", "86 characters")]
    [InlineData("$5$saltsalt$gOjOtoMpVhru2uyjeJSEc/JaLQWOXMNmlOnj6T4AtC.$", "form")]
    [InlineData("$5$saltsalt", "form")]
    [InlineData("$5$rounds=abc$saltsalt$gOjOtoMpVhru2uyjeJSEc/JaLQWOXMNmlOnj6T4AtC.", "rounds")]
    [InlineData("$5$rounds=10$anothersalt$.hfmabVHZUpkPggCHown.E6bF1SV6fi/Le8cbVHMupC", "rounds")]
    [InlineData("$5$rounds=1000", "rounds")]
    [InlineData("$5$saltsaltsaltsaltsalt$gOjOtoMpVhru2uyjeJSEc/JaLQWOXMNmlOnj6T4AtC.", "16 characters")]
    [InlineData("$pbkdf2-sha512$0$c2FsdHNhbHRzYWx0MTIzNA$jO1VfTTb6vUnXy3vwC1nAOIc7ZOal5", "iterations")]
    [InlineData("$pbkdf2-sha512$1e3$c2FsdHNhbHRzYWx0MTIzNA$jO1VfTTb6vUnXy3vwC1nAOIc7ZOal5", "iterations")]
    [InlineData("$pbkdf2-sha512$1000$c2Fsd+NhbHRzYWx0MTIzNA$jO1VfTTb6vUnXy3vwC1nAOIc7ZOal5", "salt")]
    [InlineData("$pbkdf2-sha512$1000$c2FsdHNhbHRzYWx0MTIzNA$", "key")]
    [InlineData("$pbkdf2-md5$1000$c2FsdHNhbHRzYWx0MTIzNA$jO1VfTTb6vUnXy3vwC1nAOIc7ZOal5", "unknown digest")]
    [InlineData("$pbkdf2-sha512$1000$c2FsdHNhbHRzYWx0MTIzNA", "form")]
    public void Malformed_sha_crypt_and_pbkdf2_digests_are_rejected_with_a_reason(string encoded, string reason)
    {
        Assert.False(PasswordDigest.TryParse(encoded, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("hunter2", "plaintext")]
    [InlineData(ReferenceVectors.Bcrypt, "not supported")]
    [InlineData("$scrypt$ln=16,r=8,p=1$c2FsdA$aGFzaA", "not supported")]
    [InlineData("$1$saltsalt$abc", "unknown digest identifier '$1$'")]
    public void Unsupported_formats_are_named_in_the_error(string encoded, string reason)
    {
        var hasher = new PasswordHasher(Argon2Parameters.Default);

        Assert.False(hasher.IsSupported(encoded, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.False(hasher.Verify("hunter2", encoded));
    }

    [Fact]
    public void Supported_formats_are_reported_as_supported()
    {
        var hasher = new PasswordHasher(Argon2Parameters.Default);
        foreach (var encoded in new[] { ReferenceVectors.Argon2idCheap, ReferenceVectors.Sha512CryptDefaultRounds, ReferenceVectors.Pbkdf2Sha256 })
        {
            Assert.True(hasher.IsSupported(encoded, out var error), error);
            Assert.Equal("", error);
        }
    }
}
