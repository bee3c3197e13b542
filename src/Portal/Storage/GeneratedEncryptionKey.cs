using System.Security.Cryptography;

namespace Portal.Storage;

/// <summary>
/// When <c>storage.encryption_key</c> is not configured, a random key is created once and kept next to the
/// database (<c>&lt;path&gt;.key</c>, mode 0600), so the first start needs no secret in the config file and none is
/// ever shipped in the repository. A database whose key file was lost still fails the key check loudly.
/// </summary>
internal static class GeneratedEncryptionKey
{
    public static string PathFor(string databasePath) => databasePath + ".key";

    /// <returns>the key, and whether it was created just now</returns>
    public static (string Key, bool Created) LoadOrCreate(string databasePath)
    {
        var path = PathFor(databasePath);
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length < StorageEncryption.MinimumKeyLength)
            {
                throw new StorageException($"storage: the generated key file '{path}' is damaged (shorter than {StorageEncryption.MinimumKeyLength} characters)");
            }
            return (existing, false);
        }
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.WriteLine(key);
        }
        return (key, true);
    }
}
