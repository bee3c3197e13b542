using System.Security.Cryptography;
using System.Text;

namespace Portal.Storage;

/// <summary>
/// AES-256-GCM for secret columns (WebAuthn public keys and attestations, one-time codes, ...). The stored form is
/// <c>nonce (12) || ciphertext || tag (16)</c>, with a fresh random nonce per value.
/// Safe for concurrent use: one instance serves every request, so each call makes its own <see cref="AesGcm"/>
/// (an instance shared between threads corrupts tags) and the nonce comes from the thread-safe static RNG.
/// </summary>
internal sealed class StorageEncryption
{
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int MinimumKeyLength = 20;

    // Changing this string changes the derived key: it versions the derivation, so never edit it in place.
    private static readonly byte[] HkdfInfo = "portal storage encryption v1"u8.ToArray();

    private readonly byte[] _key;

    // HKDF's extract step over the passphrase; kept so other purposes (one-time code HMACs) get their own keys.
    private readonly byte[] _prk;

    /// <param name="encryptionKey">The <c>storage.encryption_key</c> string; at least 20 characters.</param>
    public StorageEncryption(string encryptionKey)
    {
        ArgumentNullException.ThrowIfNull(encryptionKey);
        if (encryptionKey.Length < MinimumKeyLength)
        {
            throw new ArgumentException(
                $"the storage encryption key must be {MinimumKeyLength} characters or longer", nameof(encryptionKey));
        }
        // The configured key is a passphrase of arbitrary length and entropy density; HKDF turns it into exactly
        // 32 uniformly distributed bytes, and the info label keeps this key separate from any other use of it.
        // Extract then Expand is exactly HKDF.DeriveKey, so the encryption key is unchanged from earlier builds.
        _prk = HKDF.Extract(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(encryptionKey), salt: []);
        _key = HKDF.Expand(HashAlgorithmName.SHA256, _prk, 32, HkdfInfo);
    }

    /// <summary>
    /// A key for another purpose (an HMAC, ...), derived from the same configured key with its own label: it is
    /// independent of the encryption key and of every other label's key, and it changes when the key is rotated.
    /// </summary>
    public byte[] DeriveKey(string purpose, int length = 32)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        return HKDF.Expand(HashAlgorithmName.SHA256, _prk, length, Encoding.UTF8.GetBytes("portal derived key: " + purpose));
    }

    public byte[] Encrypt(byte[] plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var output = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize, plaintext.Length), output.AsSpan(NonceSize + plaintext.Length));
        return output;
    }

    /// <exception cref="CryptographicException">
    /// The value was not produced with this key, or it was altered (the GCM tag does not verify). Never returns
    /// unauthenticated bytes.
    /// </exception>
    public byte[] Decrypt(byte[] ciphertext)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        if (ciphertext.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("the encrypted value is too short to be valid");
        }
        var length = ciphertext.Length - NonceSize - TagSize;
        var plaintext = new byte[length];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(
            ciphertext.AsSpan(0, NonceSize),
            ciphertext.AsSpan(NonceSize, length),
            ciphertext.AsSpan(NonceSize + length),
            plaintext);
        return plaintext;
    }

    /// <summary><see cref="Decrypt"/>, or null when the value was not produced with this key or was altered.</summary>
    public byte[]? TryDecrypt(byte[] ciphertext)
    {
        try
        {
            return Decrypt(ciphertext);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
