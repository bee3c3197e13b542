using System.Security.Cryptography;
using System.Text;

namespace Portal.Session;

/// <summary>
/// Encrypts session payloads at rest with AES-256-GCM. The key is derived from <c>session.secret</c> with
/// HKDF-SHA256, so the admin's secret is never used directly as a key and the same secret can safely feed other
/// derivations with a different <c>info</c>. The session id is the associated data: a payload copied under another
/// id does not decrypt, so someone able to write to Redis cannot graft a victim's session onto their own cookie.
/// Layout: version (1 byte) ‖ nonce (12) ‖ tag (16) ‖ ciphertext.
/// Safe for concurrent use: an <see cref="AesGcm"/> instance is not (two requests sharing one corrupt each other's
/// tags), so each operation rents its own from a small pool.
/// </summary>
internal sealed class SessionPayloadProtector : IDisposable
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + NonceSize + TagSize;
    private static readonly byte[] KeyInfo = "portal session payload v1"u8.ToArray();

    /// <summary>Enough for the busiest moments of a small machine; beyond it instances are made and dropped.</summary>
    private const int PoolSize = 32;

    private readonly byte[] _key;
    private readonly System.Collections.Concurrent.ConcurrentBag<AesGcm> _pool = [];
    private int _pooled;
    private bool _disposed;

    public SessionPayloadProtector(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, salt: [], info: KeyInfo);
    }

    private AesGcm Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_pool.TryTake(out var aes))
        {
            Interlocked.Decrement(ref _pooled);
            return aes;
        }
        return new AesGcm(_key, TagSize);
    }

    private void Return(AesGcm aes)
    {
        if (!_disposed && Interlocked.Increment(ref _pooled) <= PoolSize)
        {
            _pool.Add(aes);
            return;
        }
        Interlocked.Decrement(ref _pooled);
        aes.Dispose();
    }

    public byte[] Protect(string id, ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[HeaderSize + plaintext.Length];
        output[0] = Version;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        var aes = Rent();
        try
        {
            aes.Encrypt(nonce, plaintext, output.AsSpan(HeaderSize), output.AsSpan(1 + NonceSize, TagSize), Aad(id));
        }
        finally
        {
            Return(aes);
        }
        return output;
    }

    /// <summary>Null when the payload is not ours: wrong key, wrong id, tampered or truncated.</summary>
    public byte[]? Unprotect(string id, ReadOnlySpan<byte> payload)
    {
        if (payload.Length < HeaderSize || payload[0] != Version)
        {
            return null;
        }
        var plaintext = new byte[payload.Length - HeaderSize];
        var aes = Rent();
        try
        {
            aes.Decrypt(payload.Slice(1, NonceSize), payload[HeaderSize..], payload.Slice(1 + NonceSize, TagSize),
                plaintext, Aad(id));
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        finally
        {
            Return(aes);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_pool.TryTake(out var aes))
        {
            aes.Dispose();
        }
        CryptographicOperations.ZeroMemory(_key);
    }

    private static byte[] Aad(string id) => Encoding.ASCII.GetBytes(id);
}
