using System.Security.Cryptography;
using Portal.Storage;

namespace Portal.Tests.Storage;

public sealed class StorageEncryptionTests
{
    private readonly StorageEncryption _encryption = new(TestKeys.Key);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65)]
    [InlineData(4096)]
    public void Decrypt_returns_what_Encrypt_was_given(int length)
    {
        var plaintext = RandomNumberGenerator.GetBytes(length);

        var ciphertext = _encryption.Encrypt(plaintext);

        Assert.Equal(StorageEncryption.NonceSize + length + StorageEncryption.TagSize, ciphertext.Length);
        Assert.Equal(plaintext, _encryption.Decrypt(ciphertext));
    }

    [Fact]
    public void Encrypting_the_same_value_twice_gives_different_ciphertexts_because_the_nonce_is_random()
    {
        var plaintext = "public key"u8.ToArray();

        var first = _encryption.Encrypt(plaintext);
        var second = _encryption.Encrypt(plaintext);

        Assert.NotEqual(first, second);
        Assert.NotEqual(first[..StorageEncryption.NonceSize], second[..StorageEncryption.NonceSize]);
    }

    [Fact]
    public void Ciphertext_does_not_contain_the_plaintext()
    {
        var plaintext = "a very recognisable secret value"u8.ToArray();

        var ciphertext = _encryption.Encrypt(plaintext);

        Assert.Equal(-1, ciphertext.AsSpan().IndexOf(plaintext));
    }

    [Theory]
    [InlineData(0)]   // nonce
    [InlineData(12)]  // first ciphertext byte
    [InlineData(-1)]  // last tag byte
    public void A_single_flipped_bit_anywhere_is_rejected(int index)
    {
        var ciphertext = _encryption.Encrypt("secret"u8.ToArray());
        var at = index < 0 ? ciphertext.Length + index : index;
        ciphertext[at] ^= 0x01;

        Assert.ThrowsAny<CryptographicException>(() => _encryption.Decrypt(ciphertext));
    }

    [Fact]
    public void A_value_shorter_than_nonce_and_tag_is_rejected()
    {
        Assert.ThrowsAny<CryptographicException>(() => _encryption.Decrypt(new byte[27]));
    }

    [Fact]
    public void A_value_encrypted_with_another_key_is_rejected()
    {
        var ciphertext = new StorageEncryption(TestKeys.OtherKey).Encrypt("secret"u8.ToArray());

        Assert.ThrowsAny<CryptographicException>(() => _encryption.Decrypt(ciphertext));
    }

    [Fact]
    public void A_key_shorter_than_20_characters_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new StorageEncryption(new string('k', 19)));
    }
}
