using System.Collections.Concurrent;
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
    public async Task One_instance_encrypts_and_decrypts_correctly_from_64_tasks_at_once()
    {
        // The database holds one StorageEncryption for every request; an AES-GCM instance shared between threads
        // corrupts tags and plaintexts, so every round trip (and every value another task encrypted) must come back.
        const int tasks = 64, perTask = 300;
        var failures = new ConcurrentQueue<string>();
        var shared = new ConcurrentQueue<(byte[] Plaintext, byte[] Ciphertext)>();
        using var start = new Barrier(tasks);

        void Work(int worker)
        {
            start.SignalAndWait();
            for (var i = 0; i < perTask; i++)
            {
                try
                {
                    var plaintext = RandomNumberGenerator.GetBytes(RandomNumberGenerator.GetInt32(0, 600));
                    var ciphertext = _encryption.Encrypt(plaintext);
                    if (!_encryption.Decrypt(ciphertext).AsSpan().SequenceEqual(plaintext))
                    {
                        failures.Enqueue($"task {worker}: own round trip {i} differs");
                    }
                    shared.Enqueue((plaintext, ciphertext));
                    if (shared.TryDequeue(out var other) && !_encryption.Decrypt(other.Ciphertext).AsSpan().SequenceEqual(other.Plaintext))
                    {
                        failures.Enqueue($"task {worker}: another task's value differs");
                    }
                }
                catch (CryptographicException e)
                {
                    failures.Enqueue($"task {worker}: {e.Message}");
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, tasks).Select(w => Task.Factory.StartNew(() => Work(w), TaskCreationOptions.LongRunning)));

        Assert.True(failures.IsEmpty, $"{failures.Count} failures, e.g. {string.Join("; ", failures.Take(3))}");
        while (shared.TryDequeue(out var left))
        {
            Assert.Equal(left.Plaintext, _encryption.Decrypt(left.Ciphertext));
        }
    }

    [Fact]
    public void A_key_shorter_than_20_characters_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new StorageEncryption(new string('k', 19)));
    }
}
