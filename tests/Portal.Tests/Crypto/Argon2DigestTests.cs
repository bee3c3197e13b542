using System.Text.RegularExpressions;
using Portal.Crypto;

namespace Portal.Tests.Crypto;

public sealed class Argon2DigestTests
{
    // Cheap enough that a hash costs well under a millisecond on 2 cores.
    private static readonly Argon2Parameters Cheap = new(Argon2Variant.Argon2id, Iterations: 1, MemoryKiB: 64, Parallelism: 1);

    [Theory]
    [InlineData(ReferenceVectors.Argon2idCheap, "password")]
    [InlineData(ReferenceVectors.Argon2idOddMemory, "password")]
    [InlineData(ReferenceVectors.Argon2idMinimumMemory, "password")]
    [InlineData(ReferenceVectors.Argon2iUtf8, ReferenceVectors.Utf8Password)]
    [InlineData(ReferenceVectors.Argon2dShortKey, "password")]
    public void Digests_from_the_reference_argon2_cli_verify(string encoded, string password)
    {
        Assert.True(PasswordDigest.TryParse(encoded, out var digest, out var error), error);
        Assert.True(digest.Matches(password));
        Assert.False(digest.Matches(password + "x"));
    }

    [Fact]
    public void Digest_from_the_reference_cli_with_Authelias_default_parameters_verifies()
    {
        Assert.True(Argon2Digest.TryParse(ReferenceVectors.Argon2idDefaults, out var digest, out var error), error);
        Assert.Equal(Argon2Parameters.Default, digest.Parameters);
        Assert.True(digest.Matches("password"));
    }

    [Fact]
    public void New_digest_with_default_parameters_has_Authelias_exact_shape()
    {
        var encoded = new PasswordHasher(Argon2Parameters.Default).Hash("correct horse");

        // 16-byte salt → 22 characters, 32-byte key → 43 characters, unpadded standard base64.
        Assert.Matches(new Regex(@"^\$argon2id\$v=19\$m=65536,t=3,p=4\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$"), encoded);
    }

    [Fact]
    public void New_digest_verifies_its_password_and_rejects_others()
    {
        var hasher = new PasswordHasher(Cheap);
        var encoded = hasher.Hash(ReferenceVectors.Utf8Password);

        Assert.StartsWith("$argon2id$v=19$m=64,t=1,p=1$", encoded, StringComparison.Ordinal);
        Assert.True(hasher.Verify(ReferenceVectors.Utf8Password, encoded));
        Assert.False(hasher.Verify("p@ss word", encoded));
        Assert.False(hasher.Verify("", encoded));
    }

    [Fact]
    public void Two_digests_of_one_password_use_different_salts()
    {
        var hasher = new PasswordHasher(Cheap);
        Assert.NotEqual(hasher.Hash("same"), hasher.Hash("same"));
    }

    [Theory]
    [InlineData("argon2i", "$argon2i$")]
    [InlineData("argon2d", "$argon2d$")]
    public void Other_variants_round_trip(string variantName, string prefix)
    {
        Assert.True(Argon2Parameters.TryParseVariant(variantName, out var variant));
        var encoded = new PasswordHasher(Cheap with { Variant = variant }).Hash("pw");
        Assert.StartsWith(prefix, encoded, StringComparison.Ordinal);
        Assert.True(new PasswordHasher(Cheap).Verify("pw", encoded));
    }

    [Fact]
    public void Parameters_and_key_length_are_read_from_the_digest()
    {
        Assert.True(Argon2Digest.TryParse(ReferenceVectors.Argon2iUtf8, out var digest, out _));

        Assert.Equal(Argon2Variant.Argon2i, digest.Variant);
        Assert.Equal(2, digest.Iterations);
        Assert.Equal(256, digest.MemoryKiB);
        Assert.Equal(2, digest.Parallelism);
        Assert.Equal(24, digest.KeyLength);
        Assert.Equal("anothersaltvalue"u8.ToArray(), digest.Salt.ToArray());
    }

    [Fact]
    public void Parameters_may_come_in_any_order()
    {
        var reordered = ReferenceVectors.Argon2idCheap.Replace("m=64,t=1,p=1", "p=1,t=1,m=64", StringComparison.Ordinal);
        Assert.True(PasswordDigest.TryParse(reordered, out var digest, out var error), error);
        Assert.True(digest.Matches("password"));
    }

    [Fact]
    public void Parsing_then_encoding_gives_back_the_same_string()
    {
        Assert.True(Argon2Digest.TryParse(ReferenceVectors.Argon2idOddMemory, out var digest, out _));
        Assert.Equal(ReferenceVectors.Argon2idOddMemory, digest.Encode());
    }

    [Theory]
    [InlineData("$argon2id$", "form")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQxNmJ5dGVzIQ", "form")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQxNmJ5dGVzIQ$xVKnHA0COppR7bqGJKOsj/qNUodzXXFezfyO0qH5axw$", "form")]
    [InlineData("$argon2id$m=64,t=1,p=1$c29tZXNhbHQxNmJ5dGVzIQ$xVKnHA0COppR7bqGJKOsj/qNUodzXXFezfyO0qH5axw", "version 16")]
    [InlineData(ReferenceVectors.Argon2idVersion16, "v=16")]
    [InlineData("$argon2id$v=19$m=abc,t=1,p=1$c29tZXNhbHQxNmJ5dGVzIQ$xVKnHA0COppR7bqGJKOsj/qNUodzXXFezfyO0qH5axw", "'m=abc'")]
    [InlineData("$argon2id$v=19$m=-64,t=1,p=1$c29tZXNhbHQxNmJ5dGVzIQ$xVKnHA0COppR7bqGJKOsj/qNUodzXXFezfyO0qH5axw", "'m=-64'")]
    [InlineData("$argon2id$v=19$m= 64,t=1,p=1$c29tZXNhbHQxNmJ5dGVzIQ$xVKnHA0COppR7bqGJKOsj/qNUodzXXFezfyO0qH5axw", "'m= 64'")]
    [InlineData("$argon2id$v=19$m=64,t=0,p=1$c29tZXNhbHQxNmJ5dGVzIQ$xVKnHA0COppR7bqGJKOsj/qNUodzXXFezfyO0qH5axw", "'t=0'")]
    [InlineData("$argon2id$v=19$m=64,m=64,p=1$c29tZXNhbHQxNmJ5dGVzIQ$xVKnHA0COppR7bqGJKOsj/qNUodzXXFezfyO0qH5axw", "repeated")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1,x=2$c29tZXNhbHQxNmJ5dGVzIQ$xVKnHA0COppR7bqGJKOsj/qNUodzXXFezfyO0qH5axw", "'x'")]
    [InlineData("$argon2id$v=19$m=64,t=1$c29tZXNhbHQxNmJ5dGVzIQ$xVKnHA0COppR7bqGJKOsj/qNUodzXXFezfyO0qH5axw", "all of")]
    [InlineData("$argon2id$v=19$m=8,t=1,p=4$c29tZXNhbHQxNmJ5dGVzIQ$xVKnHA0COppR7bqGJKOsj/qNUodzXXFezfyO0qH5axw", "'memory'")]
    [InlineData("$argon2id$v=19$m=99999999,t=1,p=1$c29tZXNhbHQxNmJ5dGVzIQ$xVKnHA0COppR7bqGJKOsj/qNUodzXXFezfyO0qH5axw", "'memory'")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ!NmJ5dGVzIQ$xVKnHA0COppR7bqGJKOsj/qNUodzXXFezfyO0qH5axw", "salt")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$c2 9tZXNhbHQxNmJ5dGVzIQ$xVKnHA0COppR7bqGJKOsj/qNUodzXXFezfyO0qH5axw", "salt")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$c29tZQ$xVKnHA0COppR7bqGJKOsj/qNUodzXXFezfyO0qH5axw", "'salt_length'")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQxNmJ5dGVzIQ$xVKnH", "key")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQxNmJ5dGVzIQ$xVK", "'key_length'")]
    [InlineData("$argon2x$v=19$m=64,t=1,p=1$c29tZXNhbHQxNmJ5dGVzIQ$xVKnHA0COppR7bqGJKOsj/qNUodzXXFezfyO0qH5axw", "unknown digest")]
    [InlineData(" $argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQxNmJ5dGVzIQ$xVKnHA0COppR7bqGJKOsj/qNUodzXXFezfyO0qH5axw", "'$'")]
    public void Malformed_argon2_digests_are_rejected_with_a_reason_and_never_verify(string encoded, string reason)
    {
        Assert.False(PasswordDigest.TryParse(encoded, out var digest, out var error));
        Assert.Null(digest);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.False(new PasswordHasher(Cheap).Verify("password", encoded));
    }

    [Fact]
    public void Invalid_parameters_for_new_digests_are_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Argon2Digest.Create("pw", Cheap with { SaltLength = 4 }));
        Assert.Contains("salt_length", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hasher_from_options_uses_the_configured_parameters()
    {
        var options = new Portal.Crypto.Argon2Options { Variant = "argon2i", Iterations = 2, Memory = 128, Parallelism = 2, KeyLength = 16, SaltLength = 8 };

        var encoded = PasswordHasher.FromOptions(options).Hash("pw");

        Assert.Matches(new Regex(@"^\$argon2i\$v=19\$m=128,t=2,p=2\$[A-Za-z0-9+/]{11}\$[A-Za-z0-9+/]{22}$"), encoded);
    }

    [Fact]
    public void Hasher_from_options_rejects_an_unknown_variant()
    {
        var options = new Portal.Crypto.Argon2Options { Variant = "argon3" };
        var ex = Assert.Throws<ArgumentException>(() => PasswordHasher.FromOptions(options));
        Assert.Contains("variant", ex.Message, StringComparison.Ordinal);
    }
}
