using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Portal.Storage;

namespace Portal.Elevation;

/// <summary>
/// The HMAC a stored one-time code is found by, over (username, requesting IP, intent, code): the code is never
/// stored in a form that can be compared without the key, and the same code typed from another IP or by another
/// user finds nothing. Engine-neutral: every store signs the same way.
/// </summary>
internal sealed class OneTimeCodeSigner
{
    private readonly byte[] _key;

    public OneTimeCodeSigner(StorageEncryption encryption)
    {
        ArgumentNullException.ThrowIfNull(encryption);
        // Derived from storage.encryption_key: a stolen database alone cannot be used to test guesses offline.
        _key = encryption.DeriveKey("one-time code signature", 64);
    }

    /// <summary>
    /// HMAC-SHA512 over the length-prefixed fields, hex. Authelia concatenates them bare; the prefixes make
    /// ("ab", "1.2.3.4") and ("a", "b1.2.3.4") sign differently.
    /// </summary>
    public string Sign(string canonicalUsername, string ip, string intent, string code)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA512, _key);
        Span<byte> length = stackalloc byte[4];
        foreach (var field in (ReadOnlySpan<string>)[canonicalUsername, ip, intent, code])
        {
            var bytes = Encoding.UTF8.GetBytes(field);
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            hmac.AppendData(length);
            hmac.AppendData(bytes);
        }
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }
}
