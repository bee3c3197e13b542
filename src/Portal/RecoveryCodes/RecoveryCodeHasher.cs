using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Portal.Storage;
using Portal.Users;

namespace Portal.RecoveryCodes;

/// <summary>
/// How a recovery code is stored: HMAC-SHA256 over the length-prefixed (username key, canonical code) with a key
/// derived from <c>storage.encryption_key</c>. Why not argon2, as for passwords: a code is 50 random bits, not
/// something a person chose, so there is no dictionary to slow down, and the key means a stolen database alone cannot
/// be used to test guesses offline. A deterministic hash also lets the store find a code with one conditional
/// UPDATE, which is what makes it single use across nodes.
/// </summary>
internal sealed class RecoveryCodeHasher
{
    private readonly byte[] _key;

    public RecoveryCodeHasher(StorageEncryption encryption)
    {
        ArgumentNullException.ThrowIfNull(encryption);
        _key = encryption.DeriveKey("recovery code hash", 32);
    }

    public byte[] Hash(string username, string code)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        Span<byte> length = stackalloc byte[4];
        foreach (var field in (ReadOnlySpan<string>)[Usernames.Key(username), RecoveryCodeFormat.Canonical(code) ?? ""])
        {
            var bytes = Encoding.UTF8.GetBytes(field);
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            hmac.AppendData(length);
            hmac.AppendData(bytes);
        }
        return hmac.GetHashAndReset();
    }
}
